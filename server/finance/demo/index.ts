/** The synthetic demo population (DESIGN §7): generator, loader and start-up hook. */
export {
  DEFAULT_DEMO_FISCAL_YEARS,
  DEMO_SEED,
  DEMO_YEARS_PER_ENTITY,
  MAX_DEMO_ENTITIES,
  generateDemoPopulation,
  type DemoEntity,
  type DemoPopulationOptions,
  type DemoYear,
} from './population';
export {
  countDemoEntities,
  loadDemoPopulation,
  removeDemoPopulation,
  type LoadDemoOptions,
} from './loader';
export { loadDemoAtStart } from './startup';
