/**
 * Form fields with their label, hint and error tied to the input (label/for, aria-describedby,
 * aria-invalid), so every field reads right with a screen reader and shows its problem next to it.
 */
import { useId, useState, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';

interface FieldFrameProps {
  label: ReactNode;
  /** Shown beside the label, e.g. the other name users know the field by. */
  aside?: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
}

function describedBy(id: string, hint: ReactNode, error: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Frame({ id, label, aside, hint, error, children }: FieldFrameProps & { id: string; children: ReactNode }) {
  return (
    <div className={`cs-field${error ? ' cs-field--invalid' : ''}`}>
      <div className="cs-field__label-row">
        <label className="cs-field__label" htmlFor={id}>
          {label}
        </label>
        {aside ? <span className="cs-field__aside">{aside}</span> : null}
      </div>
      {children}
      {hint ? (
        <p className="cs-field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="cs-field__error" id={`${id}-error`}>
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export type TextFieldProps = FieldFrameProps &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> & {
    value: string;
    onChange: (value: string) => void;
  };

export function TextField({ label, aside, hint, error, value, onChange, id: givenId, className, ...input }: TextFieldProps) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <Frame id={id} label={label} aside={aside} hint={hint} error={error}>
      <input
        type="text"
        {...input}
        id={id}
        className={['cs-input', className].filter(Boolean).join(' ')}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </Frame>
  );
}

/** A masked input with a Show/Hide toggle; never pre-filled with a stored secret. */
export function SecretField(props: Omit<TextFieldProps, 'type'>) {
  const { label, aside, hint, error, value, onChange, id: givenId, className, ...input } = props;
  const generated = useId();
  const id = givenId ?? generated;
  const [shown, setShown] = useState(false);
  return (
    <Frame id={id} label={label} aside={aside} hint={hint} error={error}>
      <div className="cs-secret">
        <input
          {...input}
          type={shown ? 'text' : 'password'}
          id={id}
          className={['cs-input', className].filter(Boolean).join(' ')}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
        />
        <button
          type="button"
          className="cs-secret__toggle"
          aria-controls={id}
          aria-pressed={shown}
          onClick={() => setShown((value) => !value)}
        >
          {shown ? 'Hide' : 'Show'}
          <span className="cs-visually-hidden"> {typeof label === 'string' ? label : 'secret'}</span>
        </button>
      </div>
    </Frame>
  );
}

export type SelectFieldProps<T extends string> = FieldFrameProps &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value'> & {
    value: T;
    options: readonly { id: T; label: string }[];
    onChange: (value: T) => void;
  };

export function SelectField<T extends string>({ label, aside, hint, error, value, options, onChange, id: givenId, ...select }: SelectFieldProps<T>) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <Frame id={id} label={label} aside={aside} hint={hint} error={error}>
      <select
        {...select}
        id={id}
        className="cs-input cs-select"
        value={value}
        onChange={(event) => onChange(event.target.value as T)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

export function CheckboxField({
  label,
  hint,
  checked,
  onChange,
  disabled,
}: {
  label: ReactNode;
  hint?: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="cs-check">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(event) => onChange(event.target.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <div>
        <label htmlFor={id}>{label}</label>
        {hint ? (
          <p className="cs-field__hint" id={`${id}-hint`}>
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}

export function RadioGroup<T extends string>({
  legend,
  name,
  value,
  options,
  onChange,
  error,
}: {
  legend: ReactNode;
  name: string;
  value: T;
  options: readonly { id: T; label: string; hint?: string }[];
  onChange: (value: T) => void;
  error?: string | undefined;
}) {
  const id = useId();
  return (
    <fieldset className={`cs-radios${error ? ' cs-field--invalid' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="cs-field__label">{legend}</legend>
      {options.map((option) => (
        <div className="cs-check" key={option.id}>
          <input
            id={`${id}-${option.id}`}
            type="radio"
            name={name}
            value={option.id}
            checked={value === option.id}
            onChange={() => onChange(option.id)}
            aria-describedby={option.hint ? `${id}-${option.id}-hint` : undefined}
          />
          <div>
            <label htmlFor={`${id}-${option.id}`}>{option.label}</label>
            {option.hint ? (
              <p className="cs-field__hint" id={`${id}-${option.id}-hint`}>
                {option.hint}
              </p>
            ) : null}
          </div>
        </div>
      ))}
      {error ? (
        <p className="cs-field__error" id={`${id}-error`}>
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
