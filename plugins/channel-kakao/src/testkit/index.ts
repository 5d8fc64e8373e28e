/** Sample content for Kakao provider tests: `import { BUBBLES } from "@nudge/channel-kakao/testkit"`. */
export { BUBBLES } from "./bubbles.js";
