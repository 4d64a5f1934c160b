/** Small shared pieces of the training pages. */
export function ProgressBar({ percent, label }: { percent: number; label: string }) {
  const value = Math.max(0, Math.min(100, percent))
  return (
    <div>
      <progress className="training-progress h-2 w-full" max={100} value={value} aria-label={label} />
      <p className="mt-1 text-sm text-slate-600" data-testid="progress-label">
        {label}
      </p>
    </div>
  )
}
