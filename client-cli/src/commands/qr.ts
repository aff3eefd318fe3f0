/** Renders text as a terminal QR code (qrcode-terminal, loaded only when a QR is shown). */

export async function toQrText(text: string): Promise<string> {
  const qrcode = (await import('qrcode-terminal')).default;
  return new Promise((resolve) => qrcode.generate(text, { small: true }, (rendered) => resolve(rendered.trimEnd())));
}
