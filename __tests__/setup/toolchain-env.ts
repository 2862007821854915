// Every terraform/cdktf call a test makes (including cdktf's own matchers) goes through the
// project's toolchain: the generated CLI config (mirror or registry) and the chosen binary.
import { toolchainEnv } from "../../toolchain/toolchain-env";

Object.assign(process.env, toolchainEnv());
