import { fakeContext } from "../qemu/fake-context";

const PBS = { storage: "pbs-prod", type: "pbs", server: "pbs.example.invalid", datastore: "store1", username: "backup@pbs", password: "s3cret-pbs-password" };

describe("PBS storages (PBSPlugin on_add_hook / on_update_hook)", () => {
  it("generates a key on encryption-key=autogen, answers it once and afterwards only its fingerprint", async () => {
    // GIVEN a simulator WHEN a pbs storage is created with a generated key
    const ctx = fakeContext();
    const created = (await ctx.call("POST", "/storage", { ...PBS, "encryption-key": "autogen" })) as { config: { "encryption-key": string } };

    // THEN the answer carries the key (JSON with data and fingerprint) …
    const key = JSON.parse(created.config["encryption-key"]) as { data: string; fingerprint: string; created: string };
    expect(Buffer.from(key.data, "base64")).toHaveLength(32);
    expect(key.fingerprint).toMatch(/^([0-9a-f]{2}:){31}[0-9a-f]{2}$/);
    expect(Number.isNaN(Date.parse(key.created))).toBe(false);

    // … and GET shows the fingerprint, shared and backup content, never the key data or the password
    const read = await ctx.call("GET", "/storage/pbs-prod");
    expect(read).toEqual(
      expect.objectContaining({
        type: "pbs",
        content: "backup",
        shared: 1,
        "encryption-key": key.fingerprint,
        server: "pbs.example.invalid",
        datastore: "store1",
        username: "backup@pbs",
      }),
    );
    const everything = JSON.stringify([read, await ctx.call("GET", "/storage"), ctx.state.toJSON()]);
    expect(everything).not.toContain(key.data);
    expect(everything).not.toContain(PBS.password);
  });

  it("keeps the fingerprint of a given key and refuses a value that is no JSON key", async () => {
    const ctx = fakeContext();
    const given = JSON.stringify({ kdf: null, data: Buffer.alloc(32, 7).toString("base64"), fingerprint: "ab:cd" });
    const created = (await ctx.call("POST", "/storage", { ...PBS, "encryption-key": given })) as { config: Record<string, string> };
    expect(created.config["encryption-key"]).toBe(given);
    expect(await ctx.call("GET", "/storage/pbs-prod")).toEqual(expect.objectContaining({ "encryption-key": "ab:cd" }));
    await expect(ctx.call("POST", "/storage", { ...PBS, storage: "other", "encryption-key": "hunter2" })).rejects.toThrow(/JSON formatted encryption key/);
  });

  it("shows no encryption-key for a storage created without one and drops the key on delete=encryption-key", async () => {
    const ctx = fakeContext();
    await ctx.call("POST", "/storage", PBS);
    expect(await ctx.call("GET", "/storage/pbs-prod")).not.toHaveProperty("encryption-key");
    await ctx.call("PUT", "/storage/pbs-prod", { "encryption-key": "autogen" });
    expect(await ctx.call("GET", "/storage/pbs-prod")).toHaveProperty("encryption-key");
    await ctx.call("PUT", "/storage/pbs-prod", { delete: "encryption-key" });
    expect(await ctx.call("GET", "/storage/pbs-prod")).not.toHaveProperty("encryption-key");
  });

  it("refuses a duplicate id, a change of a fixed option and content other than backup", async () => {
    const ctx = fakeContext();
    await ctx.call("POST", "/storage", PBS);
    await expect(ctx.call("POST", "/storage", PBS)).rejects.toThrow("storage ID 'pbs-prod' already defined");
    await expect(ctx.call("PUT", "/storage/pbs-prod", { server: "elsewhere.invalid" })).rejects.toThrow("can't change value of fixed parameter 'server'");
    await expect(ctx.call("POST", "/storage", { ...PBS, storage: "x", content: "images" })).rejects.toThrow();
  });

  it("deletes the storage and then answers that it does not exist", async () => {
    const ctx = fakeContext();
    await ctx.call("POST", "/storage", PBS);
    await ctx.call("DELETE", "/storage/pbs-prod");
    await expect(ctx.call("GET", "/storage/pbs-prod")).rejects.toThrow("storage 'pbs-prod' does not exist");
  });
});
