export type { Command, Io } from "./command.js";
