/** Entry of the lazily loaded dialog script: registers the dialog for the content script. */
import { registerDialog } from '../../lib/overlay/dialog-contract';
import { openExportDialog } from './mount';

export function registerExportDialog(): void {
  registerDialog({ openExportDialog });
}
