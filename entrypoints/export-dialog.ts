/** The export dialog, loaded by the Mixpanel content script on first open (keeps React out of it). */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { registerExportDialog } from '../components/export-dialog/register';

export default defineUnlistedScript(() => registerExportDialog());
