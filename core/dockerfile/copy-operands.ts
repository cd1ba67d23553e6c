/**
 * The operands of `COPY` and `ADD`: sources, destination and flags, in both forms (`COPY a b /app/`
 * and `COPY ["a", "b", "/app/"]`), each with its file span. Here-documents (`COPY <<EOF /x`) have
 * no source in the build context and give no operands.
 */
import type { Copy, JSONInstruction } from 'dockerfile-ast';
import type { DockerInstruction, DockerfileModel, Span } from './model';

export interface CopyOperand {
  /** As Docker reads it: quotes removed. */
  value: string;
  span: Span;
}

export interface CopyOperands {
  sources: CopyOperand[];
  destination: CopyOperand;
  flags: Array<{ name: string; value?: string }>;
}

export function copyOperandsOf(model: DockerfileModel, instruction: DockerInstruction): CopyOperands | undefined {
  if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') return undefined;
  const node = instruction.node as JSONInstruction;
  if (instruction.keyword === 'COPY' && (node as Copy).getHeredocs().length > 0) return undefined;
  const flags = node.getFlags().map((flag) => ({ name: flag.getName(), value: flag.getValue() ?? undefined }));
  const strings = node.getOpeningBracket() ? node.getJSONStrings() : [];
  const operands: CopyOperand[] =
    strings.length > 0
      ? strings.map((string) => ({ value: string.getJSONValue(), span: model.spanOf(string.getRange()) }))
      : node.getArguments().map((argument) => ({ value: argument.getValue(), span: model.spanOf(argument.getRange()) }));
  if (operands.length < 2) return undefined;
  return { sources: operands.slice(0, -1), destination: operands[operands.length - 1], flags };
}

/** `--from=build`: copied from a stage or an image, not from the build context. */
export function copiesFromElsewhere(operands: CopyOperands): boolean {
  return operands.flags.some((flag) => flag.name === 'from');
}
