/**
 * The built-in rules, one file each (`<rule id>.ts`). Order = order in docs/RULES.md and reports.
 * A test checks that every file here is registered and that each id equals its file name.
 */
import { PolicyRule } from "../rule";
import { rule as PVE_AG_001 } from "./PVE-AG-001";
import { rule as PVE_AG_002 } from "./PVE-AG-002";
import { rule as PVE_CI_001 } from "./PVE-CI-001";
import { rule as PVE_CI_002 } from "./PVE-CI-002";
import { rule as PVE_CI_003 } from "./PVE-CI-003";
import { rule as PVE_CI_004 } from "./PVE-CI-004";
import { rule as PVE_CI_005 } from "./PVE-CI-005";
import { rule as PVE_CT_001 } from "./PVE-CT-001";
import { rule as PVE_CT_002 } from "./PVE-CT-002";
import { rule as PVE_CT_003 } from "./PVE-CT-003";
import { rule as PVE_CT_004 } from "./PVE-CT-004";
import { rule as PVE_CT_005 } from "./PVE-CT-005";
import { rule as PVE_CT_006 } from "./PVE-CT-006";
import { rule as PVE_FW_001 } from "./PVE-FW-001";
import { rule as PVE_FW_002 } from "./PVE-FW-002";
import { rule as PVE_FW_003 } from "./PVE-FW-003";
import { rule as PVE_FW_004 } from "./PVE-FW-004";
import { rule as PVE_FW_005 } from "./PVE-FW-005";
import { rule as PVE_FW_006 } from "./PVE-FW-006";
import { rule as PVE_FW_007 } from "./PVE-FW-007";
import { rule as PVE_FW_008 } from "./PVE-FW-008";
import { rule as PVE_FW_009 } from "./PVE-FW-009";
import { rule as PVE_FW_010 } from "./PVE-FW-010";
import { rule as PVE_HW_001 } from "./PVE-HW-001";
import { rule as PVE_HW_002 } from "./PVE-HW-002";
import { rule as PVE_HW_003 } from "./PVE-HW-003";
import { rule as PVE_HW_004 } from "./PVE-HW-004";
import { rule as PVE_IAM_001 } from "./PVE-IAM-001";
import { rule as PVE_IAM_002 } from "./PVE-IAM-002";
import { rule as PVE_IAM_003 } from "./PVE-IAM-003";
import { rule as PVE_IAM_004 } from "./PVE-IAM-004";
import { rule as PVE_IMG_001 } from "./PVE-IMG-001";
import { rule as PVE_IMG_002 } from "./PVE-IMG-002";
import { rule as PVE_NET_001 } from "./PVE-NET-001";
import { rule as PVE_OPS_001 } from "./PVE-OPS-001";
import { rule as PVE_OPS_002 } from "./PVE-OPS-002";
import { rule as PVE_OPS_003 } from "./PVE-OPS-003";
import { rule as PVE_OPS_004 } from "./PVE-OPS-004";
import { rule as PVE_OPS_005 } from "./PVE-OPS-005";
import { rule as PVE_OPS_006 } from "./PVE-OPS-006";
import { rule as PVE_OPS_007 } from "./PVE-OPS-007";
import { rule as PVE_OPS_008 } from "./PVE-OPS-008";
import { rule as PVE_OPS_009 } from "./PVE-OPS-009";
import { rule as PVE_OPS_010 } from "./PVE-OPS-010";
import { rule as PVE_POL_001 } from "./PVE-POL-001";
import { rule as PVE_SEC_001 } from "./PVE-SEC-001";
import { rule as PVE_SEC_002 } from "./PVE-SEC-002";
import { rule as PVE_SEC_003 } from "./PVE-SEC-003";
import { rule as PVE_SUP_001 } from "./PVE-SUP-001";

/** Every built-in rule. */
export const ALL_RULES: readonly PolicyRule[] = [
  PVE_AG_001,
  PVE_AG_002,
  PVE_CI_001,
  PVE_CI_002,
  PVE_CI_003,
  PVE_CI_004,
  PVE_CI_005,
  PVE_CT_001,
  PVE_CT_002,
  PVE_CT_003,
  PVE_CT_004,
  PVE_CT_005,
  PVE_CT_006,
  PVE_FW_001,
  PVE_FW_002,
  PVE_FW_003,
  PVE_FW_004,
  PVE_FW_005,
  PVE_FW_006,
  PVE_FW_007,
  PVE_FW_008,
  PVE_FW_009,
  PVE_FW_010,
  PVE_HW_001,
  PVE_HW_002,
  PVE_HW_003,
  PVE_HW_004,
  PVE_IAM_001,
  PVE_IAM_002,
  PVE_IAM_003,
  PVE_IAM_004,
  PVE_IMG_001,
  PVE_IMG_002,
  PVE_NET_001,
  PVE_OPS_001,
  PVE_OPS_002,
  PVE_OPS_003,
  PVE_OPS_004,
  PVE_OPS_005,
  PVE_OPS_006,
  PVE_OPS_007,
  PVE_OPS_008,
  PVE_OPS_009,
  PVE_OPS_010,
  PVE_POL_001,
  PVE_SEC_001,
  PVE_SEC_002,
  PVE_SEC_003,
  PVE_SUP_001,
];
