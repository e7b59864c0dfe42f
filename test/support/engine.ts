// The engine as tests use it: grammars loaded once from the repository's grammars/, every rule of the registry.
import { Engine } from '../../server/src/cgo/engine';
import { defaultGrammarDir, loadGrammars } from '../../server/src/cgo/grammars';
import { rules } from '../../server/src/rules';

let shared: Promise<Engine> | undefined;

export function testEngine(): Promise<Engine> {
  shared ??= loadGrammars(defaultGrammarDir(__dirname)).then((grammars) => new Engine(grammars, rules));
  return shared;
}
