/**
 * `util.inspect.custom` of node:util, which is this registered symbol. Taken from the registry rather
 * than imported so that the declarations of the classes using it need no `@types/node`.
 */
export const inspectCustom: unique symbol = Symbol.for("nodejs.util.inspect.custom");
