/** Built by src/build/lesson-index.ts (a Vite plugin): the offline search index over the lesson. */
declare module 'virtual:lesson-index' {
  const index: import('./lesson-search.ts').LessonIndex;
  export default index;
}
