/**
 * Reads the type declarations of a Go source file: structs (fields, json tags, doc comments),
 * named types (`type X string`) and constants (`X Type = "value"`). Enough of Go for the API type
 * files of Kubernetes (schemas/upstream/*.go), which scripts/generate-kubelet-schema.ts turns into
 * a JSON schema; not a general Go parser. Function bodies are skipped.
 */

export interface GoField {
  /** The Go field name, or the embedded type for an embedded field. */
  goName: string;
  /** The JSON name from the json tag; '' when the tag has no name (inline / embedded). */
  jsonName: string;
  goType: string;
  embedded: boolean;
  /** The doc comment lines, without the `//` and one following space. */
  doc: string[];
}

export interface GoStruct {
  name: string;
  doc: string[];
  fields: GoField[];
}

export interface GoNamedType {
  name: string;
  underlying: string;
}

export interface GoConst {
  name: string;
  /** The declared type, or '' for an untyped constant. */
  goType: string;
  value: string;
}

export interface GoFile {
  structs: Map<string, GoStruct>;
  namedTypes: Map<string, GoNamedType>;
  consts: GoConst[];
}

const STRUCT_START = /^type\s+(\w+)\s+struct\s*\{\s*$/;
const NAMED_TYPE = /^type\s+(\w+)\s+(\S+)\s*$/;
const FIELD = /^(\w+)\s+([^\s`]+)\s*(`[^`]*`)?\s*$/;
const EMBEDDED_FIELD = /^([\w.]+)\s*(`[^`]*`)?\s*$/;
const CONST_LINE = /^(\w+)(?:\s+(\w+))?\s*=\s*"([^"]*)"\s*$/;

export function parseGoFile(text: string): GoFile {
  const structs = new Map<string, GoStruct>();
  const namedTypes = new Map<string, GoNamedType>();
  const consts: GoConst[] = [];
  const lines = text.split('\n');

  let doc: string[] = [];
  let struct: GoStruct | undefined;
  let inConstBlock = false;
  let inFunction = false;
  let inBlockComment = false;

  for (const rawLine of lines) {
    const line = rawLine.trim();
    if (inBlockComment) {
      if (line.includes('*/')) inBlockComment = false;
      continue;
    }
    if (line.startsWith('/*')) {
      // A block comment (the licence, or a section note inside a struct) documents nothing below it.
      if (!line.includes('*/')) inBlockComment = true;
      doc = [];
      continue;
    }
    if (inFunction) {
      if (rawLine.startsWith('}')) inFunction = false;
      continue;
    }
    if (line.startsWith('//')) {
      doc.push(line.replace(/^\/\/ ?/, ''));
      continue;
    }
    if (line === '') {
      // Go attaches a doc comment only to the declaration right below it.
      doc = [];
      continue;
    }

    if (struct) {
      if (line === '}') {
        structs.set(struct.name, struct);
        struct = undefined;
      } else {
        const field = parseField(line, doc);
        if (field) struct.fields.push(field);
      }
      doc = [];
      continue;
    }
    if (inConstBlock) {
      if (line === ')') {
        inConstBlock = false;
      } else {
        const match = CONST_LINE.exec(line);
        if (match) consts.push({ name: match[1], goType: match[2] ?? '', value: match[3] });
      }
      doc = [];
      continue;
    }

    if (line.startsWith('func ')) {
      inFunction = !line.endsWith('}');
    } else if (line === 'const (') {
      inConstBlock = true;
    } else {
      const structMatch = STRUCT_START.exec(line);
      if (structMatch) {
        struct = { name: structMatch[1], doc, fields: [] };
      } else {
        const named = NAMED_TYPE.exec(line);
        if (named) namedTypes.set(named[1], { name: named[1], underlying: named[2] });
      }
    }
    doc = [];
  }
  if (struct) throw new Error(`struct ${struct.name} is not closed`);
  return { structs, namedTypes, consts };
}

function parseField(line: string, doc: string[]): GoField | undefined {
  const field = FIELD.exec(line);
  if (field) {
    const tag = jsonTag(field[3]);
    if (tag === '-') return undefined;
    return { goName: field[1], jsonName: tag ?? field[1], goType: field[2], embedded: false, doc };
  }
  const embedded = EMBEDDED_FIELD.exec(line);
  if (embedded) {
    const tag = jsonTag(embedded[2]);
    if (tag === '-') return undefined;
    // encoding/json inlines an embedded struct whose tag gives no name.
    return { goName: embedded[1], jsonName: tag ?? '', goType: embedded[1], embedded: true, doc };
  }
  throw new Error(`cannot read the struct field: ${line}`);
}

/** The name part of a `json:"name,omitempty"` tag; undefined when there is no json tag. */
function jsonTag(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  const match = /json:"([^"]*)"/.exec(tag);
  return match ? match[1].split(',')[0] : undefined;
}
