import { Testing } from "cdktf";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { DRAFT_EXIT } from "../../ai/draft";
import { startFakeOllama } from "../../ai/testing/fake-ollama";
import { addEnvironmentStacks } from "../../stacks/environment-app";
import { literalStrings, strayTemplateSequences } from "../stacks/template-check";
import { environmentFiles, factsOf, runDraft, shopSpec, tempProject } from "./fixtures";

/** Terraform code a (prompt-injected) model puts into the one free-text field it has. */
const INJECTED_COMMENT = "pg ${file('/etc/hostname')} %{ if true }x%{ endif }";

function lastUser(body: { messages: { role: string; content: string }[] }): string {
  return body.messages.filter((m) => m.role === "user").at(-1)!.content;
}

describe("draft: a model's answer is literal text", () => {
  it("keeps ${…} and %{…} in a comment as text: written as answered, synthesised escaped, evaluated nowhere", async () => {
    // GIVEN a model whose firewall comment holds Terraform expressions
    const root = tempProject();
    const answer = shopSpec(factsOf(root));
    answer.firewall.allow[0].comment = INJECTED_COMMENT;
    const fake = await startFakeOllama({ replies: [{ content: JSON.stringify(answer) }] });
    try {
      // WHEN drafting
      const { outcome } = await runDraft(fake.host, root);

      // THEN the spec is written with the comment exactly as answered
      expect(outcome.exitCode).toBe(DRAFT_EXIT.ok);
      const written = parse(fs.readFileSync(path.join(root, "environments", "shop.yaml"), "utf8"));
      expect(written.firewall.allow[0].comment).toBe(INJECTED_COMMENT);
      // AND synthesising it hands the comment to the provider as text, with nothing for Terraform to evaluate
      const [stack] = addEnvironmentStacks(Testing.app(), { dir: path.join(root, "environments"), only: ["shop"] });
      const json = JSON.parse(Testing.synth(stack));
      expect(strayTemplateSequences(json)).toEqual([]);
      expect(literalStrings(json)).toContain(INJECTED_COMMENT);
    } finally {
      await fake.stop();
    }
  });

  it("refuses cdktf's token marker in a comment, telling the model why, and writes nothing when it insists", async () => {
    // GIVEN a model that puts a cdktf token marker (which cdktf would replace by a reference) into a comment, every time
    const root = tempProject();
    const answer = shopSpec(factsOf(root));
    answer.firewall.allow[0].comment = "leak ${TfToken[TOKEN.1]}";
    const fake = await startFakeOllama({ replies: Array.from({ length: 3 }, () => ({ content: JSON.stringify(answer) })) });
    const before = environmentFiles(root);
    try {
      // WHEN drafting with one repair round
      const { outcome } = await runDraft(fake.host, root, { repairRounds: 1 });

      // THEN the spec check's problem went back to the model, and nothing was written under environments/
      expect(lastUser(fake.chatBodies()[1])).toContain('- firewall.allow[0].comment: contains "${TfToken[", cdktf\'s token marker');
      expect(outcome.exitCode).toBe(DRAFT_EXIT.rejected);
      expect(environmentFiles(root)).toEqual(before);
    } finally {
      await fake.stop();
    }
  });
});
