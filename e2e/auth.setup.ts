import { test as setup } from '@playwright/test';
import { ROLES } from '../lib/auth/roles';
import { DEMO_PASSWORD, ROLE_USERS, expectSignedIn, signIn, storageState } from './fixtures';

for (const role of ROLES) {
  setup(`sign in as ${role}`, async ({ page }) => {
    // The first sign-ins compile and warm the server, each hashing a password: minutes on a loaded machine.
    setup.slow();
    await signIn(page, ROLE_USERS[role], DEMO_PASSWORD);
    await expectSignedIn(page);
    await page.context().storageState({ path: storageState(role) });
  });
}
