/**
 * Template helpers for advertising SMS (정보통신망법 §50④): the label must read exactly "(광고)" at the
 * start, and the end must offer a free opt-out. NHN Cloud checks both on /sender/ad-sms: the text starts
 * with "(광고)" and ends with "무료수신거부 {080 number}" or "무료거부 {080 number}"
 * (https://docs.nhncloud.com/ko/Notification/SMS/ko/api-guide/ — 광고성 SMS 발송).
 */

export const AD_LABEL = "(광고)";

/** "(광고)Acme": the first line of an ad, the label followed by the sender's name. */
export function adHeader(brand: string): string {
  return `${AD_LABEL}${brand.trim()}`;
}

/** "무료수신거부 080-123-4567": the last line of an ad. */
export function optOutLine(number: string): string {
  return `무료수신거부 ${formatOptOutNumber(number)}`;
}

/** Wraps a body as an ad: header line, body, opt-out line. */
export function asAdvertisement(body: string, options: { brand: string; optOutNumber: string }): string {
  return `${adHeader(options.brand)}\n${body.trim()}\n${optOutLine(options.optOutNumber)}`;
}

const OPT_OUT_TAIL = /(무료\s*수신\s*거부|무료\s*거부)\s*[\]:)]?\s*080[-\s]?\d{3,4}[-\s]?\d{4}\s*$/;

/** Checks the ad format NHN Cloud enforces: starts with "(광고)", ends with a free 080 opt-out. */
export function adFormatProblems(text: string): string[] {
  const problems: string[] = [];
  if (!text.trimStart().startsWith(AD_LABEL)) problems.push(`an advertisement must start with "${AD_LABEL}"`);
  if (!OPT_OUT_TAIL.test(text)) problems.push('an advertisement must end with a free opt-out line such as "무료수신거부 080-123-4567"');
  return problems;
}

function formatOptOutNumber(number: string): string {
  const digits = number.replace(/\D/g, "");
  if (!digits.startsWith("080")) throw new Error(`opt-out number ${number} is not an 080 number`);
  return digits.length === 10 ? `080-${digits.slice(3, 6)}-${digits.slice(6)}` : `080-${digits.slice(3, 7)}-${digits.slice(7)}`;
}
