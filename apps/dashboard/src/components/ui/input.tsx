import type { ComponentProps, ReactNode, SelectHTMLAttributes } from "react";
import { cn } from "@/lib/cn";
import { errorAt } from "@/lib/field-errors";

const control =
  "w-full border-2 border-line bg-bg px-3 py-2 text-fg placeholder:text-subtle hover:border-line-strong focus-visible:border-accent focus-visible:outline-none aria-[invalid=true]:border-st-failed disabled:opacity-50";

/** A text control; takes a ref (React 19 passes it as a prop) for fields a component selects or reads. */
export function Input({ className, ...rest }: ComponentProps<"input">) {
  return <input data-slot="input" className={cn(control, "h-10", className)} {...rest} />;
}

export function Textarea({ className, ...rest }: ComponentProps<"textarea">) {
  return <textarea data-slot="textarea" className={cn(control, "min-h-24 resize-y", className)} {...rest} />;
}

export function Select({ className, children, ...rest }: SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <select
      data-slot="select"
      className={cn(control, "h-10 appearance-none bg-[length:10px] pr-8", className)}
      {...rest}
    >
      {children}
    </select>
  );
}

/** The aria props a control inside <Field> takes. */
export function fieldAria(id: string, error?: string) {
  return {
    id,
    name: id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `${id}-error` : undefined,
  } as const;
}

type FieldControlProps = ReturnType<typeof fieldAria>;

/**
 * A labelled form field with its hint and its error (from the API's 400
 * details); the control gets aria-invalid and aria-describedby.
 *
 * The error comes as `error`, or as the form's `errors` (`fieldErrorsOf`,
 * src/lib/field-errors.ts) and the field's `path` in the request body
 * (`budget.maxCostUsd`). Given a function as children, the field hands the
 * control its id, name and aria props, so the wiring is written once here.
 */
export function Field({
  id,
  label,
  hint,
  error: given,
  errors,
  path,
  children,
  className,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  errors?: Record<string, string>;
  path?: string;
  children: ReactNode | ((control: FieldControlProps) => ReactNode);
  className?: string;
}) {
  const error = given ?? (errors && path ? errorAt(errors, path) : undefined);
  return (
    <div data-slot="field" className={cn("flex flex-col gap-1.5", className)}>
      <label htmlFor={id} className="label text-muted">
        {label}
      </label>
      {typeof children === "function" ? children(fieldAria(id, error)) : children}
      {error ? (
        <p id={`${id}-error`} role="alert" data-slot="field-error" className="text-xs text-st-failed">
          ✗ {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-subtle">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
