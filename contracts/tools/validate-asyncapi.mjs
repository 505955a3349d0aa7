#!/usr/bin/env node
// Validates an AsyncAPI document with the AsyncAPI parser itself (the one the AsyncAPI tools use) and exits
// non-zero on any diagnostic of severity error. All diagnostics are printed.
//
// The event bodies are JSON Schema draft 2020-12 (events/*), which the parser has no schema parser for: it
// would take them unchecked. So a schema parser for `application/schema+json;version=draft-2020-12` is
// registered here (Ajv's 2020-12 mode): every payload schema must compile, and every message example must
// match its message's headers and payload schemas.
//
// Usage: node tools/validate-asyncapi.mjs [asyncapi.yaml]
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';
import Ajv2020 from 'ajv/dist/2020.js';
import AjvDraft07 from 'ajv';
import addFormats from 'ajv-formats';

const JSON_SCHEMA_2020_12 = [
  'application/schema+json;version=draft-2020-12',
  'application/schema+yaml;version=draft-2020-12',
];

function ajv2020() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addKeyword('x-cloudevents'); // documentation on each event schema: the attributes the event carries
  addFormats(ajv);
  return ajv;
}

/** A fresh compiler per schema: the schemas carry $ids, and one Ajv instance takes each $id only once. */
function compile2020(schema) {
  return ajv2020().compile(schema);
}

const jsonSchema2020Parser = {
  getMimeTypes: () => JSON_SCHEMA_2020_12,
  async validate(input) {
    try {
      compile2020(input.data);
      return [];
    } catch (e) {
      return [{ message: `not a valid JSON Schema draft 2020-12: ${e.message}`, path: input.path }];
    }
  },
  async parse(input) {
    try {
      compile2020(input.data);
    } catch (e) {
      throw new Error(`${input.path.join('.')}: not a valid JSON Schema draft 2020-12: ${e.message}`);
    }
    return input.data;
  },
};

const severityNames = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

function location(d) {
  const line = d.range ? `${d.range.start.line + 1}:${d.range.start.character + 1}` : '-';
  return `${line} ${(d.path ?? []).join('.')}`;
}

/** Checks every message example against its message's headers and payload schemas. */
function exampleErrors(document) {
  const errors = [];
  const draft07 = new AjvDraft07({ allErrors: true, strict: false });
  addFormats(draft07);
  const compile = (model) => {
    const { format, schema } = schemaOf(model);
    if (schema === undefined) {
      return null;
    }
    return JSON_SCHEMA_2020_12.includes(format) ? compile2020(schema) : draft07.compile(schema);
  };
  for (const message of document.allMessages()) {
    const headers = compile(message.headers());
    const payload = compile(message.payload());
    for (const [i, example] of message.examples().all().entries()) {
      const label = `${message.id()} example ${example.name() ?? i}`;
      if (headers && example.hasHeaders() && !headers(example.headers())) {
        errors.push(`${label}: the headers do not match the message's headers schema: ${draft07.errorsText(headers.errors)}`);
      }
      if (payload && example.hasPayload() && !payload(example.payload())) {
        errors.push(`${label}: the payload does not match the message's payload schema: ${draft07.errorsText(payload.errors)}`);
      }
    }
  }
  return errors;
}

/** A schema model's format and schema: a Multi Format Schema Object carries both, a plain schema is AsyncAPI's. */
function schemaOf(model) {
  const json = model?.json();
  if (json === undefined) {
    return {};
  }
  if (json !== null && typeof json === 'object' && typeof json.schemaFormat === 'string' && 'schema' in json) {
    return { format: json.schemaFormat, schema: stripParserExtensions(json.schema) };
  }
  return { format: 'application/vnd.aai.asyncapi+json', schema: stripParserExtensions(json) };
}

/** The parser marks schemas with x-parser-* properties; Ajv's strict mode would reject them as unknown keywords. */
function stripParserExtensions(value) {
  if (Array.isArray(value)) {
    return value.map(stripParserExtensions);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value)
      .filter(([k]) => !k.startsWith('x-parser-'))
      .map(([k, v]) => [k, stripParserExtensions(v)]));
  }
  return value;
}

const file = resolve(process.argv[2] ?? 'asyncapi.yaml');
const parser = new Parser({ schemaParsers: [jsonSchema2020Parser] });
const { document, diagnostics } = await parser.parse(await readFile(file, 'utf8'), { source: file });

let errors = 0;
for (const d of diagnostics) {
  const severity = severityNames[d.severity] ?? String(d.severity);
  if (d.severity === DiagnosticSeverity.Error) {
    errors++;
  }
  // an exception's diagnostic carries its stack trace; the message before it says what is wrong
  const message = String(d.message).split(', stack: ')[0];
  console.log(`${file}:${location(d)}  ${severity}  ${d.code}  ${message}`);
}
if (document) {
  for (const e of exampleErrors(document)) {
    errors++;
    console.log(`${file}: error  message-example  ${e}`);
  }
}
if (!document && errors === 0) {
  errors++;
  console.log(`${file}: error  the parser returned no document`);
}
const counts = `${errors} error(s), ${diagnostics.length} parser diagnostic(s) in all`;
if (errors > 0) {
  console.error(`✖ ${file} is not a valid AsyncAPI document: ${counts}`);
  process.exit(1);
}
console.log(`✔ ${file}: a valid AsyncAPI ${document.version()} document (${document.allChannels().length} channels,`
  + ` ${document.allOperations().length} operations, ${document.allMessages().length} messages); ${counts}`);
