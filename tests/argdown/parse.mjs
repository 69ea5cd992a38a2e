// Reads an Argdown document on stdin and prints, as JSON, what Argdown's own parser and model
// make of it: errors, front matter, statements (title, text, data) and relations. Used by
// tests/debates/test_exports.py to check the export against the real parser.
import { argdown, IEquivalenceClass } from "@argdown/core";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = Buffer.concat(chunks).toString("utf8");

// The same steps as Argdown's own JSON export: parse, model, map.
const response = argdown.run({
  input,
  process: ["parse-input", "build-model", "build-map"],
  logLevel: "none",
  throwExceptions: false,
});

const message = (error) => error.message ?? String(error);
const statements = Object.values(response.statements ?? {}).map((ec) => {
  const member = IEquivalenceClass.getCanonicalMember(ec);
  return {
    title: ec.title,
    text: member ? member.text : null,
    members: ec.members.length,
    data: ec.data ?? null,
  };
});
const relations = (response.relations ?? []).map((relation) => ({
  from: relation.from.title,
  to: relation.to.title,
  type: relation.relationType,
}));

process.stdout.write(
  JSON.stringify({
    errors: [
      ...(response.lexerErrors ?? []).map(message),
      ...(response.parserErrors ?? []).map(message),
      ...(response.exceptions ?? []).map(message),
    ],
    frontMatter: response.frontMatter ?? null,
    statements,
    arguments: Object.keys(response.arguments ?? {}),
    relations,
    map: response.map
      ? { nodes: response.map.nodes.length, edges: response.map.edges.length }
      : null,
  }),
);
