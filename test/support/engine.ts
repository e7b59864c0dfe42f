// The engine as tests use it: grammars loaded once from the repository's grammars/.
import { Engine } from '../../server/src/cgo/engine';
import { defaultGrammarDir, loadGrammars } from '../../server/src/cgo/grammars';

let shared: Promise<Engine> | undefined;

export function testEngine(): Promise<Engine> {
  shared ??= loadGrammars(defaultGrammarDir(__dirname)).then((grammars) => new Engine(grammars));
  return shared;
}
