import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "@nudge/core";
import { sendContext } from "@nudge/core/testkit";
import { uploadNhnMmsImage } from "../../src/index.js";
import { NHN, nhnSmsFake } from "./nhn-sms.fake.js";
import { jpegOf } from "./jpeg.js";
import { nhnChannel, nhnConfig, nhnProvider, person } from "./harness.js";

const KB = 1024;

function issues(e: unknown): { path: string; message: string }[] {
  expect(e).toBeInstanceOf(ValidationError);
  return (e as ValidationError).issues;
}

/** NHN SMS v3.0 "장문 MMS 발송": .jpg/.jpeg, ≤ 3 images, each ≤ 300 KB and ≤ 1000×1000 px, ≤ 800 KB together. */
describe("NHN Cloud MMS images: checked, then uploaded (attachfile/binaryUpload)", () => {
  const f = nhnSmsFake();
  let url: string;
  beforeAll(async () => {
    url = await f.fake.start();
  });
  afterAll(() => f.fake.close());

  it("uploads a 1000×1000 JPEG of exactly 300 KB and returns the content's image entry", async () => {
    const image = await uploadNhnMmsImage(nhnConfig(url), { name: "spring.jpg", data: jpegOf(1000, 1000, 300 * KB) });
    expect(image).toEqual({ ref: "9000", name: "spring.jpg", sizeBytes: 300 * KB });
    expect(f.fake.last()!.path).toBe(`/sms/v3.0/appKeys/${NHN.appKey}/attachfile/binaryUpload`);
    expect(f.fake.last()!.headers["x-secret-key"]).toBe(NHN.secretKey);
    expect(f.uploads().at(-1)).toEqual({ fileId: 9000, fileName: "spring.jpg", bytes: 300 * KB });
    expect(f.fake.problems).toEqual([]);
  });

  it("refuses, before any request, an image one pixel or one byte over, or not a JPEG, naming the field", async () => {
    const before = f.fake.requests.length;
    const up = (name: string, data: Buffer) => uploadNhnMmsImage(nhnConfig(url), { name, data }).catch((e: unknown) => e);
    expect(issues(await up("wide.jpg", jpegOf(1001, 1000)))).toEqual([{ path: "image.data", message: "1001×1000 px; nhncloud takes MMS images up to 1000×1000 px" }]);
    expect(issues(await up("tall.jpg", jpegOf(1000, 1001)))).toEqual([{ path: "image.data", message: "1000×1001 px; nhncloud takes MMS images up to 1000×1000 px" }]);
    expect(issues(await up("big.jpg", jpegOf(800, 600, 300 * KB + 1)))).toEqual([{ path: "image.data", message: "307,201 bytes; nhncloud takes MMS images up to 307,200 bytes" }]);
    const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000010000000100806000000", "hex");
    expect(issues(await up("photo.jpg", png))).toEqual([{ path: "image.data", message: "is a png image; MMS images must be JPEG" }]);
    expect(issues(await up("photo.png", jpegOf(10, 10)))[0]).toMatchObject({ path: "image.name" });
    expect(f.fake.requests.length).toBe(before);
  });

  it("is also the provider's upload(), and three uploaded images over 800 KB together are refused at send time", async () => {
    const provider = (await nhnProvider(url)) as Awaited<ReturnType<typeof nhnProvider>> & { upload(file: { name: string; data: Buffer }): Promise<{ ref: string; name: string; sizeBytes: number }> };
    const images = [await provider.upload({ name: "a.jpg", data: jpegOf(640, 480, 270 * KB) }), await provider.upload({ name: "b.jpg", data: jpegOf(640, 480, 270 * KB) })];
    const started = await nhnChannel(url);
    const p = person("+821012345678");
    const send = (imgs: typeof images) => started.channel.send({ to: "+821012345678", content: { text: "사진", images: imgs }, context: sendContext(p, { channel: "sms" }) });
    await send(images);
    expect((f.fake.last()!.json as { attachFileIdList: unknown }).attachFileIdList).toEqual(images.map((i) => i.ref));
    // 3 × 270 KB = 810 KB: each is under 300 KB, together over NHN's 800 KB.
    const third = await provider.upload({ name: "c.jpg", data: jpegOf(640, 480, 270 * KB) });
    const sent = f.accepted();
    expect(issues(await send([...images, third]).catch((e: unknown) => e))).toEqual([{ path: "images", message: "829,440 bytes of images in all; nhncloud takes at most 819,200 bytes per MMS" }]);
    expect(f.accepted()).toBe(sent);
    await send([images[0]!, images[1]!, { ...third, sizeBytes: 800 * KB - 540 * KB }]);
    expect(f.fake.problems).toEqual([]);
    await started.close();
  });
});
