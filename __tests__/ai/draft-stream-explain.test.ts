import * as fs from "fs";
import * as path from "path";
import { DRAFT_EXIT } from "../../ai/draft";
import { startFakeOllama } from "../../ai/testing/fake-ollama";
import { factsOf, prompts, runDraft, shopSpec, tempProject } from "./fixtures";

describe("draft streaming and explanations", () => {
  it("streams the answer with progress and writes the same spec", async () => {
    // GIVEN a good answer, streamed in chunks
    const root = tempProject();
    const answer = JSON.stringify(shopSpec(factsOf(root)));
    const fake = await startFakeOllama({ replies: [{ content: answer }] });
    const progress: number[] = [];
    try {
      // WHEN drafting with streaming on
      const { outcome } = await runDraft(fake.host, root, { stream: true, onProgress: (n) => progress.push(n) });

      // THEN the request asked for a stream, progress grew to the whole answer, and the file was written
      expect(fake.chatBodies()[0].stream).toBe(true);
      expect(progress.length).toBeGreaterThan(2);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(progress.at(-1)).toBe(answer.length);
      expect(outcome.exitCode).toBe(DRAFT_EXIT.ok);
      expect(fs.existsSync(path.join(root, "environments", "shop.yaml"))).toBe(true);
    } finally {
      await fake.stop();
    }
  });

  it("explains the drafted environment with the level's prompt and prints it without escape sequences", async () => {
    // GIVEN a good answer, then an explanation containing a terminal escape sequence
    const root = tempProject();
    const fake = await startFakeOllama({
      replies: [
        { content: JSON.stringify(shopSpec(factsOf(root))) },
        { content: "Three web servers serve the site.\u001b]0;pwned\u0007\nOnly web reaches postgres." },
      ],
    });
    try {
      // WHEN drafting with --explain intermediate
      const { outcome, lines } = await runDraft(fake.host, root, { explain: "intermediate" });

      // THEN the second call used the intermediate prompt, free text, with the written spec as data
      const explainCall = fake.chatBodies()[1];
      expect(explainCall.format).toBeUndefined();
      expect(explainCall.messages[0]).toEqual({ role: "system", content: prompts.explain.intermediate.text });
      expect(JSON.parse(explainCall.messages[1].content)).toEqual({ environmentSpec: JSON.parse(JSON.stringify(outcome.spec)) });
      // AND the explanation is printed with the control characters removed
      expect(outcome.explanation).toBe("Three web servers serve the site.]0;pwned\nOnly web reaches postgres.");
      expect(lines.slice(-3)).toEqual(["Explanation (intermediate):", "Three web servers serve the site.]0;pwned", "Only web reaches postgres."]);
    } finally {
      await fake.stop();
    }
  });
});
