import { describe, expect, it } from "vitest";
import { listTenant, type Principal, routeRefusal, seesTenant, tenantToWrite } from "../../src/domain/scope.js";

const admin: Principal = { kind: "admin" };
const token = (access: "read" | "write", tenant: string | null): Principal => ({
  kind: "token",
  id: "tok_1",
  access,
  tenant,
  expiresAt: null,
});

describe("scope rules", () => {
  it("routes: undeclared = admin-only; tenant tokens get not_found where all-tenant tokens are told why", () => {
    expect(routeRefusal(admin, undefined)).toBeUndefined();
    expect(routeRefusal(token("write", null), undefined)).toEqual({ refused: "admin_only" });
    expect(routeRefusal(token("write", "a"), undefined)).toEqual({ refused: "not_found" });
    expect(routeRefusal(token("write", "a"), { access: "admin" })).toEqual({ refused: "not_found" });
    expect(routeRefusal(token("read", "a"), { access: "write" })).toEqual({ refused: "read_only" });
    expect(routeRefusal(token("read", null), { access: "read" })).toBeUndefined();
    expect(routeRefusal(token("read", null), { access: "read", allTenants: true })).toBeUndefined();
    expect(routeRefusal(token("write", "a"), { access: "read", allTenants: true })).toEqual({ refused: "not_found" });
    expect(routeRefusal(token("write", "a"), { access: "write" })).toBeUndefined();
  });

  it("rows, lists and writes of a tenant token stay in its tenant", () => {
    expect(seesTenant(token("read", "a"), "a")).toBe(true);
    expect(seesTenant(token("read", "a"), "b")).toBe(false);
    expect(seesTenant(token("read", "a"), null)).toBe(false);
    expect(seesTenant(token("read", null), null)).toBe(true);
    expect(listTenant(admin, undefined)).toEqual({});
    expect(listTenant(token("read", null), "b")).toEqual({ tenant: "b" });
    expect(listTenant(token("read", "a"), undefined)).toEqual({ tenant: "a" });
    expect(listTenant(token("read", "a"), "b")).toBe("none");
    expect(tenantToWrite(token("write", "a"), undefined)).toEqual({ tenant: "a" });
    expect(tenantToWrite(token("write", "a"), "b")).toEqual({ mismatch: "a" });
    expect(tenantToWrite(token("write", "a"), null)).toEqual({ mismatch: "a" });
    expect(tenantToWrite(admin, null)).toEqual({ tenant: null });
  });
});
