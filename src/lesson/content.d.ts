declare module '*.md' {
  const section: import('../build/lesson-markdown.ts').CompiledSection;
  export default section;
}
