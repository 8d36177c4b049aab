import { serialize } from '../../shared/engine/markdown.ts';
import {
  cell,
  heading,
  pageBreak,
  paragraph,
  root,
  row,
  table,
  tableFromStrings,
  text,
  link,
  brk,
  code,
} from '../../shared/engine/mdast.ts';
import { collapseBlankLines } from '../../shared/engine/whitespace.ts';

describe('serialize', () => {
  it('writes GFM tables with a padded, rectangular shape and <br> for breaks in cells', () => {
    const tree = root([
      table([row([cell([text('A')]), cell([text('B')])]), row([cell([text('1'), brk(), text('2')])])]),
    ]);
    expect(serialize(tree).markdown).toBe('| A | B |\n| --- | --- |\n| 1<br>2 | |\n');
  });

  it('drops javascript: links but keeps their text', () => {
    const tree = root([paragraph([link('javascript:alert(1)', [text('click')])])]);
    expect(serialize(tree).markdown).toBe('click\n');
  });

  it('splits pages and writes separators only when asked', () => {
    const tree = () => root([pageBreak(1), heading(1, [text('One')]), pageBreak(2), paragraph([text('Two')])]);
    const plain = serialize(tree());
    expect(plain.markdown).toBe('# One\n\nTwo\n');
    expect(plain.pages).toEqual([
      { page: 1, markdown: '# One\n' },
      { page: 2, markdown: 'Two\n' },
    ]);
    expect(serialize(tree(), { pageSeparators: true }).markdown).toBe(
      '<!-- page 1 -->\n\n# One\n\n<!-- page 2 -->\n\nTwo\n',
    );
  });
});

describe('lists inside table cells', () => {
  it('keep their numbers and bullets on one row', async () => {
    const { list, listItem } = await import('../../shared/engine/mdast.ts');
    const tree = root([
      table([
        row([cell([text('Steps')])]),
        row([
          cell([list(true, [listItem([paragraph([text('one')])]), listItem([paragraph([text('two')])])], 3) as never]),
        ]),
        row([cell([list(false, [listItem([paragraph([text('x')])])]) as never])]),
      ]),
    ]);
    expect(serialize(tree).markdown).toBe('| Steps |\n| --- |\n| 3. one<br>4. two |\n| • x |\n');
  });
});

describe('URLs and e-mail addresses in text', () => {
  it('are written without autolink escapes where nothing can be swallowed into the link', () => {
    const tree = root([
      paragraph([text('see http://www.example.com/a and mail bob@example.com today')]),
      tableFromStrings([
        ['site', 'mail'],
        ['https://example.org/', 'x@y.com'],
      ]),
    ]);
    expect(serialize(tree).markdown).toBe(
      'see http://www.example.com/a and mail bob@example.com today\n\n| site | mail |\n| --- | --- |\n| https://example.org/ | x@y.com |\n',
    );
  });

  it('keep the escapes when another escape follows in the same token', () => {
    expect(serialize(root([paragraph([text('http://x.y/a_b*')])])).markdown).toBe('http\\://x.y/a_b\\*\n');
  });
});

describe('blank lines', () => {
  it('inside fenced code are kept as written (two blank lines between Python definitions)', () => {
    const source = 'def a():\n    return 1\n\n\ndef b():\n    return 2\n\n\n\nprint(a())';
    const tree = root([paragraph([text('Before')]), code(source, 'python'), paragraph([text('After')])]);
    expect(serialize(tree).markdown).toBe(`Before\n\n\`\`\`python\n${source}\n\`\`\`\n\nAfter\n`);
  });

  it('outside code are cut to one between blocks', () => {
    expect(collapseBlankLines('a\n\n\n\nb\n\n\nc')).toBe('a\n\nb\n\nc');
  });

  it('fences: a longer fence is closed only by one at least as long; indented fences (in list items) count', () => {
    const md = [
      '````',
      '```',
      '',
      '',
      'x',
      '```',
      '',
      '',
      '````',
      '',
      '',
      '- item',
      '',
      '  ~~~',
      '  a',
      '',
      '',
      '  b',
      '  ~~~',
      '',
      '',
      'end',
    ];
    expect(collapseBlankLines(md.join('\n'))).toBe(
      [
        '````',
        '```',
        '',
        '',
        'x',
        '```',
        '',
        '',
        '````',
        '',
        '- item',
        '',
        '  ~~~',
        '  a',
        '',
        '',
        '  b',
        '  ~~~',
        '',
        'end',
      ].join('\n'),
    );
  });
});
