/** TypeNode → TypeScript type syntax, built with the compiler's factory so quoting is always right. */

import { ts } from "ts-morph";
import type { ObjectTypeNode, TypeNode } from "../model/type-ir.js";
import { withJsDoc } from "./jsdoc.js";

const f = ts.factory;

export function toTypeNode(node: TypeNode): ts.TypeNode {
  switch (node.kind) {
    case "unknown":
      return f.createKeywordTypeNode(ts.SyntaxKind.UnknownKeyword);
    case "never":
      return f.createKeywordTypeNode(ts.SyntaxKind.NeverKeyword);
    case "primitive":
      return primitive(node.name);
    case "literal":
      return literal(node.value);
    case "ref":
      return f.createTypeReferenceNode(node.typeName);
    case "array":
      return f.createArrayTypeNode(parenthesize(toTypeNode(node.items)));
    case "tuple":
      // The printer writes a tuple's elements one per line unless told otherwise.
      return ts.setEmitFlags(
        f.createTupleTypeNode([
          ...node.items.map(toTypeNode),
          ...(node.rest === undefined ? [] : [f.createRestTypeNode(f.createArrayTypeNode(parenthesize(toTypeNode(node.rest))))]),
        ]),
        ts.EmitFlags.SingleLine,
      );
    case "union":
      return f.createUnionTypeNode(node.members.map(toTypeNode));
    case "intersection":
      return f.createIntersectionTypeNode(node.members.map((m) => parenthesize(toTypeNode(m))));
    case "object":
      return f.createTypeLiteralNode(typeElements(node));
  }
}

/** The members of an object type (or of an interface): documented properties, then the index signature. */
export function typeElements(node: ObjectTypeNode): ts.TypeElement[] {
  return [
    ...node.properties.map((p) =>
      withJsDoc(
        f.createPropertySignature(
          undefined,
          propertyName(p.name),
          p.required ? undefined : f.createToken(ts.SyntaxKind.QuestionToken),
          toTypeNode(p.type),
        ),
        p.docs,
      ),
    ),
    ...(node.indexType === undefined ? [] : [indexSignature(node.indexType)]),
  ];
}

function indexSignature(type: TypeNode): ts.IndexSignatureDeclaration {
  return f.createIndexSignature(
    undefined,
    [f.createParameterDeclaration(undefined, undefined, "key", undefined, f.createKeywordTypeNode(ts.SyntaxKind.StringKeyword))],
    toTypeNode(type),
  );
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Identifiers stay bare; anything else (`content-type`, `order.created`) becomes a quoted name. */
export function propertyName(name: string): ts.PropertyName {
  return IDENTIFIER.test(name) ? f.createIdentifier(name) : f.createStringLiteral(name);
}

function primitive(name: "string" | "number" | "boolean" | "null" | "undefined"): ts.TypeNode {
  switch (name) {
    case "string":
      return f.createKeywordTypeNode(ts.SyntaxKind.StringKeyword);
    case "number":
      return f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword);
    case "boolean":
      return f.createKeywordTypeNode(ts.SyntaxKind.BooleanKeyword);
    case "null":
      return f.createLiteralTypeNode(f.createNull());
    case "undefined":
      return f.createKeywordTypeNode(ts.SyntaxKind.UndefinedKeyword);
  }
}

function literal(value: string | number | boolean | null): ts.TypeNode {
  if (value === null) return f.createLiteralTypeNode(f.createNull());
  if (typeof value === "string") return f.createLiteralTypeNode(f.createStringLiteral(value));
  if (typeof value === "boolean") return f.createLiteralTypeNode(value ? f.createTrue() : f.createFalse());
  return value < 0
    ? f.createLiteralTypeNode(f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createNumericLiteral(-value)))
    : f.createLiteralTypeNode(f.createNumericLiteral(value));
}

function parenthesize(node: ts.TypeNode): ts.TypeNode {
  return ts.isUnionTypeNode(node) || ts.isIntersectionTypeNode(node) || ts.isFunctionTypeNode(node)
    ? f.createParenthesizedType(node)
    : node;
}
