// The part of the WebAssembly JavaScript API that the Node side uses, typed as lib.dom types it.
//
// Why this file: Node has the WebAssembly global, but neither lib ES2023 nor @types/node declares it, and
// adding lib "DOM" to the Node program would bring in every browser global. The Worker program gets these
// types from @cloudflare/workers-types instead, so worker/tsconfig.json excludes this file.
declare namespace WebAssembly {
  type ExportValue = ((...args: never[]) => unknown) | Memory;
  type Exports = Record<string, ExportValue>;
  type ImportValue = ExportValue | number;
  type Imports = Record<string, Record<string, ImportValue>>;

  // biome-ignore lint/suspicious/noEmptyInterface: opaque, as in lib.dom; only the constructor matters.
  interface Module {}
  var Module: {
    prototype: Module;
    new (bytes: ArrayBufferView | ArrayBuffer): Module;
  };

  interface Instance {
    readonly exports: Exports;
  }
  var Instance: {
    prototype: Instance;
    new (module: Module, importObject?: Imports): Instance;
  };

  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
  }
  interface Memory {
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  var Memory: {
    prototype: Memory;
    new (descriptor: MemoryDescriptor): Memory;
  };
}
