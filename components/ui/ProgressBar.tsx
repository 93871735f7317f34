import { formatProgress } from '../../lib/ui/format';

/** A determinate bar with its words ("n of N") in text, not only in the bar. */
export function ProgressBar({ done, total, label }: { done: number; total: number; label: string }) {
  const known = total > 0;
  const share = known ? Math.min(1, Math.max(0, done / total)) : 0;
  const text = known ? formatProgress(done, total) : 'Starting…';
  return (
    <div className="cs-progress">
      <div
        className={`cs-progress__track${known ? '' : ' cs-progress__track--indeterminate'}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={known ? total : undefined}
        aria-valuenow={known ? Math.min(done, total) : undefined}
        aria-valuetext={text}
      >
        <div className="cs-progress__fill" style={{ width: `${share * 100}%` }} />
      </div>
      <span className="cs-progress__text">{text}</span>
    </div>
  );
}
