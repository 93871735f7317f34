/** Entry of the lazily loaded script: registers the export dialog and the Integrations entry for the content script. */
import { registerDialog } from '../../lib/overlay/dialog-contract';
import { mountIntegrationEntry } from '../integrations/mount';
import { openExportDialog } from './mount';

export function registerExportDialog(): void {
  registerDialog({ openExportDialog, mountIntegrationEntry });
}
