import { describe, expect, it } from "vitest";
import { ChannelDeferredError, ChannelRejectedError, ChannelUnavailableError, RecipientUnreachableError } from "@nudge/core";
import { solapiMessageError } from "../src/errors.js";
import { solapiReportStatus } from "../src/report-status.js";
import { SOLAPI_DEAD_NUMBER, SOLAPI_STATUS_CODES, solapiOutcome, type SolapiOutcome } from "../src/status-codes.js";

/**
 * Every code in Solapi's table (https://developers.solapi.com/references/message-status-codes), restated here by
 * outcome so that a code dropped from, added to or moved within status-codes.ts fails this test.
 */
const EXPECTED: Record<SolapiOutcome, string[]> = {
  delivered: ["4000"],
  pending: ["2000", "3000"],
  unreachable: ["1058", "1060", "1061", "2060", "2061", "3010", "3032", "3047", "3050", "3058", "3060", "3102", "3104", "3107"],
  deferred: ["3108"],
  transient: ["1024", "2024", "3012", "3024", "3040", "3041", "3042", "3043", "3044", "3045", "3046", "3051", "3053", "3056", "3057"],
  permanent: [
    ...["1010", "1011", "1013", "1014", "1020", "1021", "1022", "1023", "1025", "1026", "1027", "1028", "1029", "1030", "1031", "1032", "1033", "1034"],
    ...["1041", "1042", "1043", "1044", "1045", "1046", "1047", "1048", "1049", "1050", "1051", "1052", "1053", "1062", "1064"],
    ...["2011", "2062", "2063", "2064", "2230", "2254"],
    ...["3011", "3013", "3014", "3031", "3048", "3052", "3054", "3055", "3059", "3101", "3103", "3105", "3106"],
  ],
};

describe("Solapi message status codes", () => {
  it("sorts every documented code, and only those", () => {
    const expected = Object.entries(EXPECTED).flatMap(([outcome, codes]) => codes.map((c) => [c, outcome] as const));
    expect(Object.fromEntries(expected)).toEqual(SOLAPI_STATUS_CODES);
    expect(expected).toHaveLength(Object.keys(SOLAPI_STATUS_CODES).length);
  });

  it("treats a code missing from the table as a permanent failure", () => {
    expect(solapiOutcome("1999")).toBe("permanent");
    expect(solapiOutcome("")).toBe("permanent");
  });

  it("reports 4000 delivered, 2000/3000 sent and anything else failed", () => {
    expect(solapiReportStatus("4000")).toBe("delivered");
    expect(solapiReportStatus("2000")).toBe("sent");
    expect(solapiReportStatus("3000")).toBe("sent");
    for (const code of ["3102", "3108", "3043", "1062", "9999"]) expect(solapiReportStatus(code)).toBe("failed");
  });

  it("marks only a malformed number (3010) and a non-subscriber (3032) as dead numbers", () => {
    expect([...SOLAPI_DEAD_NUMBER].sort()).toEqual(["3010", "3032"]);
  });

  it("turns a refusal into the matching core error, keeping Solapi's code", () => {
    const at = Date.parse("2026-03-03T08:00:00+09:00");
    expect(solapiMessageError("1061", "opted out")).toMatchObject({ constructor: RecipientUnreachableError, providerCode: "1061", retryable: false });
    expect(solapiMessageError("3108", "hours", { nextOpen: () => at })).toMatchObject({ constructor: ChannelDeferredError, notBefore: at });
    expect(solapiMessageError("3108", "hours")).toBeInstanceOf(ChannelDeferredError);
    expect(solapiMessageError("2024", "server")).toMatchObject({ constructor: ChannelUnavailableError, retryable: true });
    expect(solapiMessageError("1030", "balance")).toMatchObject({ constructor: ChannelRejectedError, retryable: false });
    expect(solapiMessageError("7777", "unknown")).toBeInstanceOf(ChannelRejectedError);
    expect(solapiMessageError("1062", "sender", { vendor: "Solapi/Kakao" }).message).toBe("Solapi/Kakao 1062: sender");
  });
});
