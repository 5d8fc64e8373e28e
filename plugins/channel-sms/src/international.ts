/** GSM-7 texts split every 153 characters, others (UCS-2) every 67, once longer than one segment. */
export function internationalSegments(text: string): number {
  const gsm = /^[\u0000-\u007f£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà]*$/.test(text);
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  return text.length <= single ? 1 : Math.ceil(text.length / multi);
}
