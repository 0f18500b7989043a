// Stand-in module: see package.json. smartmongo default-imports this package.
export default {};
