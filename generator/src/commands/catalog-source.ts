/**
 * The catalog the event commands read (`trigger`, `fixtures`, `listen --events`): the local catalog
 * folder, found as `hookline validate` finds it (--catalog, --config, else ./catalog). Every version
 * of every type is available, and a runtime `EventCatalog` for the typed client is built from it.
 */

import path from "node:path";
import type { Ajv2020 } from "ajv/dist/2020.js";
import type { CompiledValidator, EventCatalog, EventMapBase, EventTypeInfo } from "@hookline/core";
import { ConfigError, type GeneratorConfig, loadConfig } from "../config.js";
import { loadCheckedCatalog } from "../load/load-catalog.js";
import type { CatalogModel, EventModel } from "../model/catalog-model.js";
import type { RuleSeverities } from "../schema/lint-rules.js";
import { CliError, EXIT } from "./output.js";
import { nearestNames } from "./suggest.js";

export interface CatalogFlags {
  readonly catalog?: string;
  readonly config?: string;
}

export class LocalCatalog {
  readonly dir: string;
  readonly model: CatalogModel;
  private readonly ajv: Ajv2020;

  /** `ajv`: the instance that checked the catalog, holding every document by `$id`. */
  constructor(dir: string, model: CatalogModel, ajv: Ajv2020) {
    this.dir = dir;
    this.model = model;
    this.ajv = ajv;
  }

  /** Every event type, sorted. */
  types(): string[] {
    return this.model.events.filter((e) => e.latest).map((e) => e.type);
  }

  /** One type at one version (newest when absent); unknown types suggest the nearest names. */
  event(type: string, version?: number): EventModel {
    const versions = this.model.events.filter((e) => e.type === type);
    if (versions.length === 0) {
      const near = nearestNames(type, this.types());
      const hint = near.length === 0 ? "" : ` Did you mean ${near.join(", ")}?`;
      throw new CliError(
        `Unknown event type ${JSON.stringify(type)} in the catalog at ${this.dir}.${hint} List every type with \`hookline fixtures\`.`,
        EXIT.usage,
      );
    }
    const chosen = version === undefined ? versions.find((e) => e.latest) : versions.find((e) => e.version === version);
    if (chosen === undefined)
      throw new CliError(
        `${type} has no version ${version} in the catalog at ${this.dir}; it has ${versions.map((e) => e.version).join(", ")}.`,
        EXIT.usage,
      );
    return chosen;
  }

  validator(event: EventModel): CompiledValidator {
    const compiled = this.ajv.getSchema(event.id);
    if (compiled === undefined) throw new Error(`the catalog lost the schema ${event.id}`);
    return compiled as unknown as CompiledValidator;
  }

  /**
   * A runtime catalog for the typed client, holding exactly the given events (one version per type):
   * each as its type's newest and as its own entry under `versions`, so a send with that `version`
   * validates against it.
   */
  runtime(events: readonly EventModel[]): EventCatalog<EventMapBase> {
    const eventTypes: Record<string, EventTypeInfo> = {};
    const validators: Record<string, CompiledValidator> = {};
    const versions: Record<string, Record<string, { info: EventTypeInfo; validator: CompiledValidator }>> = {};
    for (const e of events) {
      const info: EventTypeInfo = {
        type: e.type,
        version: e.version,
        domain: e.domain,
        title: typeof e.schema.title === "string" ? e.schema.title : e.plainName,
        description: e.description,
        deprecated: e.deprecated,
      };
      const validator = this.validator(e);
      eventTypes[e.type] = info;
      validators[e.type] = validator;
      versions[e.type] = { [String(e.version)]: { info, validator } };
    }
    return { eventTypes, validators, versions } as EventCatalog<EventMapBase>;
  }
}

export async function openCatalog(flags: CatalogFlags): Promise<LocalCatalog> {
  const dir = flags.catalog !== undefined ? path.resolve(flags.catalog) : await configuredCatalog(flags.config);
  // The loader, not generate.ts: it keeps the command free of the emitters (and their start-up time).
  const { model, validators } = await loadCheckedCatalog(dir);
  return new LocalCatalog(dir, model, validators);
}

/** --config's (or the default configuration's) catalog folder, else ./catalog. */
/**
 * The catalog folder (`--catalog`, else the configuration's, else ./catalog) and the configured rule
 * severities (from the configuration when there is one).
 */
export async function configuredCatalogAndRules(
  catalog: string | undefined,
  configPath: string | undefined,
): Promise<{ dir: string; rules: RuleSeverities }> {
  let config: GeneratorConfig | undefined;
  try {
    config = await loadConfig(process.cwd(), configPath);
  } catch (error) {
    if (configPath !== undefined || !(error instanceof ConfigError)) throw error;
  }
  const dir = catalog !== undefined ? path.resolve(catalog) : (config?.catalogDir ?? path.resolve("catalog"));
  return { dir, rules: config?.rules ?? {} };
}

export async function configuredCatalog(configPath: string | undefined): Promise<string> {
  try {
    return (await loadConfig(process.cwd(), configPath)).catalogDir;
  } catch (error) {
    if (configPath === undefined && error instanceof ConfigError) return path.resolve("catalog");
    throw error;
  }
}
