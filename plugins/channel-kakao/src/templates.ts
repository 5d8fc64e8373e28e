/**
 * Ad text helpers for the SMS fallback of a Brand Message (대체발송): an advertising fallback must carry the
 * "(광고)" label first and a free 080 opt-out last, like any ad SMS (정보통신망법 §50④; NHN Cloud checks it on
 * its ad endpoints). Brand Messages themselves are labelled by Kakao.
 */
export const AD_LABEL = "(광고)";

export function adHeader(brand: string): string {
  return `${AD_LABEL}${brand.trim()}`;
}

export function optOutLine(number: string): string {
  const d = number.replace(/\D/g, "");
  return `무료수신거부 ${d.length === 10 ? `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}` : `${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`}`;
}

export function asAdvertisement(body: string, options: { brand: string; optOutNumber: string }): string {
  return `${adHeader(options.brand)}\n${body.trim()}\n${optOutLine(options.optOutNumber)}`;
}
