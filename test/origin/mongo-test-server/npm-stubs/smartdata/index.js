// Stand-in module: see package.json.
export {};
