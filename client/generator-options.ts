/**
 * Asks a generator's options the way its declaration says (core/generate/types.ts `GeneratorOption`,
 * sent by the server): choices and yes/no as quick picks, with each choice's description; numbers,
 * texts and lists in input boxes checked as they are typed, with the same parser and words as the CLI
 * (core/generate/option-values.ts). Only options marked `ask` are asked; the others keep their
 * defaults. Escape at any question cancels the whole command, with nothing generated.
 */
import { window, type QuickPickItem } from 'vscode';
import { GeneratorOptionError, parseOptionText } from '../core/generate/option-values';
import type { GeneratorOption } from '../core/generate/types';
import type { GeneratorSummary } from '../server/protocol';

type OptionValue = string | number | boolean | string[];

interface ValueItem extends QuickPickItem {
  value: OptionValue;
}

function defaultText(option: GeneratorOption): string {
  const value = option.default;
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** The pick for a choice or a yes/no question, the default first and marked. */
async function pick(generator: GeneratorSummary, option: GeneratorOption, step: string): Promise<OptionValue | undefined> {
  const items: ValueItem[] =
    option.type === 'boolean'
      ? [
          { label: 'Yes', value: true },
          { label: 'No', value: false },
        ]
      : (option.choices ?? []).map((choice) => ({ label: choice.label, description: choice.value, detail: choice.description, value: choice.value }));
  const fallback = items.findIndex((item) => item.value === option.default);
  if (fallback > 0) items.unshift(...items.splice(fallback, 1));
  if (fallback >= 0) items[0] = { ...items[0], description: [items[0].description, '(default)'].filter(Boolean).join(' ') };
  const picked = await window.showQuickPick(items, { title: `${generator.title} ${step}`, placeHolder: option.description, ignoreFocusOut: true, matchOnDescription: true, matchOnDetail: true });
  return picked?.value;
}

/** What was typed, parsed (`value` absent: a number left empty, which keeps its default); undefined on Escape. */
async function input(generator: GeneratorSummary, option: GeneratorOption, step: string): Promise<{ value?: OptionValue } | undefined> {
  const hint = option.type === 'string-list' ? ' (comma-separated; empty for none)' : '';
  const typed = await window.showInputBox({
    title: `${generator.title} ${step}`,
    prompt: `${option.description}${hint}`,
    value: defaultText(option),
    ignoreFocusOut: true,
    validateInput: (text) => {
      if (option.type === 'number' && text.trim() === '') return undefined;
      try {
        parseOptionText(option, text);
        return undefined;
      } catch (error) {
        return error instanceof GeneratorOptionError ? error.message.replace(/^--[\w-]+ /, 'It ') : String(error);
      }
    },
  });
  if (typed === undefined) return undefined;
  // An empty number keeps the default, which the server fills in.
  if (option.type === 'number' && typed.trim() === '') return {};
  return { value: parseOptionText(option, typed) };
}

/** The answers, by option name; undefined when the user pressed Escape. */
export async function askGeneratorOptions(generator: GeneratorSummary): Promise<Record<string, OptionValue> | undefined> {
  const asked = generator.options.filter((option) => option.ask);
  const answers: Record<string, OptionValue> = {};
  for (const [index, option] of asked.entries()) {
    const step = asked.length > 1 ? `(${index + 1}/${asked.length})` : '';
    const answer = option.type === 'choice' || option.type === 'boolean' ? await pick(generator, option, step).then((value) => (value === undefined ? undefined : { value })) : await input(generator, option, step);
    if (answer === undefined) return undefined;
    if (answer.value !== undefined) answers[option.name] = answer.value;
  }
  return answers;
}
