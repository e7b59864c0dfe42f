// C struct/union layout for LP64 targets (linux and darwin on amd64 and arm64): sizes,
// alignments and member offsets as gcc and clang compute them (System V x86-64 and AAPCS64
// agree on everything modelled here). Proven against gcc by test/unit/layout-gcc.test.ts.
//
// What is not known is undefined, never guessed: types from system headers that are not read,
// incomplete records and enums, bitfields, arrays of unknown length (flexible array members
// included: the CType model does not tell `[]` from `[LEN]` with LEN unknown), other targets.
// `__attribute__((packed/aligned))`, `_Alignas` and `#pragma pack` are not in the CType model;
// callers that care must rule them out (see rules/union-unsafe-offset.ts).
import type { CField, CScope, CType } from './cdecl';

export interface LayoutTarget {
  goarch: string;
  /** Only darwin/arm64 differs (long double is double there). */
  goos?: string;
}

export interface Layout {
  size: number;
  align: number;
}

/** One step of a path into a record: a named member, an anonymous member, or an array element. */
export interface FieldStep {
  /** The member's name; undefined for an anonymous struct/union member or an array element. */
  name: string | undefined;
  /** For an array element: its index. */
  index?: number;
  /** Offset from the start of the outermost record. */
  offset: number;
  /** The member's type as declared (typedefs not followed). */
  type: CType;
  size: number;
}

/** A member as C code names it: anonymous members flattened into their parent. */
export interface NamedMember {
  name: string;
  offset: number;
  type: CType;
  size: number;
  align: number;
}

interface Member {
  field: CField;
  /** The member is an anonymous struct/union: its members belong to the parent's namespace. */
  anonymous: boolean;
  offset: number;
  size: number;
  align: number;
}

interface RecordLayout extends Layout {
  members: Member[];
}

export function layoutSupported(target: LayoutTarget): boolean {
  return target.goarch === 'amd64' || target.goarch === 'arm64';
}

const scalarSizes: Record<string, number> = {
  char: 1,
  'signed char': 1,
  'unsigned char': 1,
  _Bool: 1,
  bool: 1,
  short: 2,
  'unsigned short': 2,
  int: 4,
  'unsigned int': 4,
  long: 8,
  'unsigned long': 8,
  'long long': 8,
  'unsigned long long': 8,
  float: 4,
  double: 8,
  __int128: 16,
  'unsigned __int128': 16,
  __int128_t: 16,
  __uint128_t: 16,
  // <stdint.h>, <stddef.h>, <sys/types.h>, <uchar.h>, <wchar.h>: the same on every LP64 target
  // modelled here (the int_fastN_t types are not: they differ between glibc and darwin).
  int8_t: 1,
  uint8_t: 1,
  int16_t: 2,
  uint16_t: 2,
  int32_t: 4,
  uint32_t: 4,
  int64_t: 8,
  uint64_t: 8,
  int_least8_t: 1,
  uint_least8_t: 1,
  int_least16_t: 2,
  uint_least16_t: 2,
  int_least32_t: 4,
  uint_least32_t: 4,
  int_least64_t: 8,
  uint_least64_t: 8,
  intmax_t: 8,
  uintmax_t: 8,
  intptr_t: 8,
  uintptr_t: 8,
  ptrdiff_t: 8,
  size_t: 8,
  ssize_t: 8,
  wchar_t: 4,
  char16_t: 2,
  char32_t: 4,
};

const integerNames = new Set(
  Object.keys(scalarSizes).filter((name) => !['float', 'double', '_Bool', 'bool'].includes(name)),
);

/** Size (= alignment) of a basic or well-known type name; undefined when not known. */
export function scalarSize(name: string, target: LayoutTarget): number | undefined {
  if (name === 'long double') return target.goos === 'darwin' && target.goarch === 'arm64' ? 8 : 16;
  return scalarSizes[name];
}

/** Whether a resolved type is an integer type (enums included, _Bool not). */
export function isIntegerType(type: CType, scope: CScope): boolean {
  const t = scope.resolve(type);
  if (t.kind === 'enum') return true;
  return (t.kind === 'builtin' || t.kind === 'typedef') && integerNames.has(t.name);
}

/** Whether a resolved type is float, double or long double. */
export function isFloatType(type: CType, scope: CScope): boolean {
  const t = scope.resolve(type);
  return t.kind === 'builtin' && (t.name === 'float' || t.name === 'double' || t.name === 'long double');
}

const recordCache = new WeakMap<object, Map<string, RecordLayout | null>>();

export function layoutOf(type: CType, scope: CScope, target: LayoutTarget): Layout | undefined {
  return layoutAt(type, scope, target, 0);
}

function layoutAt(type: CType, scope: CScope, target: LayoutTarget, depth: number): Layout | undefined {
  if (!layoutSupported(target) || depth > 64) return undefined;
  const t = scope.resolve(type);
  switch (t.kind) {
    case 'void':
    case 'function':
      return undefined;
    case 'builtin':
    case 'typedef': {
      // A typedef resolve() cannot follow comes from a header that is not read (stdint.h…).
      const size = scalarSize(t.name, target);
      return size === undefined ? undefined : { size, align: size };
    }
    case 'pointer':
      return { size: 8, align: 8 };
    case 'array': {
      if (t.length === undefined || t.length < 0) return undefined;
      const element = layoutAt(t.of, scope, target, depth + 1);
      return element && { size: element.size * t.length, align: element.align };
    }
    case 'enum':
      return enumLayout(t);
    case 'record': {
      const record = recordLayout(t, scope, target, depth);
      return record && { size: record.size, align: record.align };
    }
  }
}

/**
 * gcc's enum type: unsigned int when no value is negative and all fit in 32 bits, int when
 * all fit in int, else a 64-bit type.
 */
function enumLayout(t: Extract<CType, { kind: 'enum' }>): Layout | undefined {
  if (!t.constants || t.constants.length === 0) return undefined;
  let min = 0;
  let max = 0;
  for (const c of t.constants) {
    if (c.value === undefined || !Number.isSafeInteger(c.value)) return undefined;
    min = Math.min(min, c.value);
    max = Math.max(max, c.value);
  }
  const fits32 = min >= 0 ? max <= 0xffffffff : min >= -0x80000000 && max <= 0x7fffffff;
  return fits32 ? { size: 4, align: 4 } : { size: 8, align: 8 };
}

function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

function recordLayout(t: Extract<CType, { kind: 'record' }>, scope: CScope, target: LayoutTarget, depth: number): RecordLayout | undefined {
  if (!t.fields || !layoutSupported(target)) return undefined;
  const key = `${target.goos ?? ''}/${target.goarch}`;
  let perTarget = recordCache.get(t);
  if (!perTarget) recordCache.set(t, (perTarget = new Map()));
  const cached = perTarget.get(key);
  if (cached !== undefined) return cached ?? undefined;
  perTarget.set(key, null); // a record that contains itself has no layout
  const computed = computeRecord(t, t.fields, scope, target, depth);
  perTarget.set(key, computed ?? null);
  return computed;
}

function computeRecord(t: Extract<CType, { kind: 'record' }>, fields: CField[], scope: CScope, target: LayoutTarget, depth: number): RecordLayout | undefined {
  const members: Member[] = [];
  let offset = 0;
  let size = 0;
  let align = 1;
  for (const field of fields) {
    // Bitfields (named or not) are not modelled.
    if (field.bitWidth !== undefined) return undefined;
    let anonymous = false;
    if (field.name === undefined) {
      // `struct tag { … };` inside a record declares the tag only (C11 6.7.2.1); an untagged
      // struct or union without a declarator is an anonymous member.
      if (field.type.kind !== 'record' || field.type.tag !== undefined || !field.type.fields) continue;
      anonymous = true;
    }
    // A flexible array member (`char data[];`) has length undefined, and so has an array
    // whose length the reader could not evaluate (`char buf[LEN_FROM_SYSTEM_HEADER];`): the two
    // cannot be told apart, so neither has a layout.
    const layout = layoutAt(field.type, scope, target, depth + 1);
    if (!layout) return undefined;
    align = Math.max(align, layout.align);
    if (t.union) {
      members.push({ field, anonymous, offset: 0, size: layout.size, align: layout.align });
      size = Math.max(size, layout.size);
    } else {
      offset = alignUp(offset, layout.align);
      members.push({ field, anonymous, offset, size: layout.size, align: layout.align });
      offset += layout.size;
      size = offset;
    }
  }
  return { size: alignUp(size, align), align, members };
}

/** The members C code can name directly (anonymous members flattened), with their offsets. */
export function namedMembers(type: CType, scope: CScope, target: LayoutTarget): NamedMember[] | undefined {
  const t = scope.resolve(type);
  if (t.kind !== 'record') return undefined;
  const record = recordLayout(t, scope, target, 0);
  if (!record) return undefined;
  const result: NamedMember[] = [];
  for (const m of record.members) {
    if (m.anonymous) {
      for (const inner of namedMembers(m.field.type, scope, target) ?? []) result.push({ ...inner, offset: inner.offset + m.offset });
    } else if (m.field.name !== undefined) {
      result.push({ name: m.field.name, offset: m.offset, type: m.field.type, size: m.size, align: m.align });
    }
  }
  return result;
}

/**
 * Every path of members from a record down to something that covers `offset`, outermost
 * first, each step with its offset from the start of `type`. Array elements are steps of their own.
 */
function pathsCovering(type: CType, scope: CScope, target: LayoutTarget, offset: number, base: number, prefix: FieldStep[], out: FieldStep[][], depth: number): void {
  if (depth > 32) return;
  const t = scope.resolve(type);
  if (t.kind === 'record') {
    const record = recordLayout(t, scope, target, 0);
    if (!record) return;
    for (const m of record.members) {
      const start = base + m.offset;
      if (offset < start || offset >= start + Math.max(m.size, 1) || (m.size === 0 && offset !== start)) continue;
      const step: FieldStep = { name: m.anonymous ? undefined : m.field.name, offset: start, type: m.field.type, size: m.size };
      const path = [...prefix, step];
      out.push(path);
      pathsCovering(m.field.type, scope, target, offset, start, path, out, depth + 1);
    }
  } else if (t.kind === 'array' && t.length !== undefined) {
    const element = layoutAt(t.of, scope, target, 0);
    if (!element || element.size === 0) return;
    const index = Math.floor((offset - base) / element.size);
    if (index < 0 || index >= t.length) return;
    const start = base + index * element.size;
    const path = [...prefix, { name: undefined, index, offset: start, type: t.of, size: element.size }];
    out.push(path);
    pathsCovering(t.of, scope, target, offset, start, path, out, depth + 1);
  }
}

/** A step C code can end an access path with: a named member or an array element. */
function nameable(step: FieldStep): boolean {
  return step.name !== undefined || step.index !== undefined;
}

/**
 * Every member that starts exactly at `offset` (and has `size` bytes when given), each as the
 * path of members from the record down to it, outer before inner, in declaration order.
 * Several when a union's members overlap or a struct starts with a struct.
 */
export function fieldsAt(recordType: CType, offset: number, size: number | undefined, scope: CScope, target: LayoutTarget): FieldStep[][] {
  const paths: FieldStep[][] = [];
  pathsCovering(recordType, scope, target, offset, 0, [], paths, 0);
  return paths.filter((p) => {
    const last = p[p.length - 1];
    return nameable(last) && last.offset === offset && (size === undefined || last.size === size);
  });
}

/**
 * The member that starts exactly at `offset` (and has `size` bytes when given): the path of
 * members from the record down to it. Among several, the first one `prefer` accepts, outer
 * before inner, in declaration order (a union's first member first). Undefined when no member
 * starts there (the offset lands inside a member or on padding).
 */
export function fieldAt(
  recordType: CType,
  offset: number,
  size: number | undefined,
  scope: CScope,
  target: LayoutTarget,
  prefer?: (type: CType) => boolean,
): FieldStep[] | undefined {
  const exact = fieldsAt(recordType, offset, size, scope, target);
  return (prefer && exact.find((p) => prefer(p[p.length - 1].type))) || exact[0];
}

/** The innermost member whose bytes contain `offset`; [] on padding; undefined past the end. */
export function fieldContaining(recordType: CType, offset: number, scope: CScope, target: LayoutTarget): FieldStep[] | undefined {
  const layout = layoutOf(recordType, scope, target);
  if (!layout || offset < 0 || offset >= layout.size) return undefined;
  const paths: FieldStep[][] = [];
  pathsCovering(recordType, scope, target, offset, 0, [], paths, 0);
  let best: FieldStep[] = [];
  for (const p of paths) if (p[p.length - 1].size > 0 && p.length > best.length) best = p;
  return best;
}

/** `cat_name.len`, `items[2].x`: the C access path (anonymous members skipped). */
export function accessPath(path: FieldStep[]): string {
  let out = '';
  for (const step of path) {
    if (step.index !== undefined) out += `[${step.index}]`;
    else if (step.name !== undefined) out += out === '' ? step.name : `.${step.name}`;
  }
  return out;
}
