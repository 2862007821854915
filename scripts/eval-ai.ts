/**
 * `npm run eval:ai`: the AI helper's evaluation set (ai/eval/requests.yaml) against a real Ollama
 * at OLLAMA_HOST; skipped with a message (exit 0) when none answers. See ai/eval/run-eval.ts.
 */
import { evalMain } from "../ai/eval/run-eval";

evalMain(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(e.message);
    process.exit(1);
  },
);
