// Dependency files read by languages/packages: every format with realistic inputs (modelled on public projects:
// requirement chains like cookiecutter-django's, Poetry tables like full-stack-fastapi-template's, uv.lock), offsets
// that point at what is written, and junk that never throws.

import { strict as assert } from 'node:assert';
import {
  dependencyFileKind,
  normalizePackageName,
  parseDependencyFile,
  parseRequirement,
  type DependencyFile,
  type DependencyFileKind,
} from '../../server/src/languages/packages/index';

/** name (extras) specifier, as one string per package, for compact assertions. */
function summary(file: DependencyFile): string[] {
  return file.packages.map(
    (p) =>
      `${p.name}${p.extras.length ? `[${p.extras.join(',')}]` : ''}${p.specifier ?? ''}${p.group ? ` (${p.group})` : ''}`,
  );
}

/** What each package's offsets cover in the text. */
function written(file: DependencyFile, text: string): string[] {
  return file.packages.map((p) => text.slice(p.from, p.to));
}

describe('dependency files by name', () => {
  it('knows requirement files, pyproject, Pipenv, lock files and setuptools files', () => {
    const kinds: [string, DependencyFileKind | undefined][] = [
      ['/p/requirements.txt', 'requirements'],
      ['/p/requirements-dev.txt', 'requirements'],
      ['/p/requirements_prod.in', 'requirements'],
      ['/p/dev-requirements.txt', 'requirements'],
      ['/p/requirements/production.txt', 'requirements'],
      ['/p/pyproject.toml', 'pyproject'],
      ['/p/Pipfile', 'pipfile'],
      ['/p/Pipfile.lock', 'pipfile-lock'],
      ['/p/poetry.lock', 'poetry-lock'],
      ['/p/uv.lock', 'uv-lock'],
      ['/p/setup.cfg', 'setup-cfg'],
      ['/p/setup.py', 'setup-py'],
      ['/p/environment.yml', 'conda'],
      ['/p/MANIFEST.in', undefined],
      ['/p/notes.txt', undefined],
      ['/p/docs/requirements-not.md', undefined],
    ];
    for (const [path, kind] of kinds) assert.equal(dependencyFileKind(path), kind, path);
  });

  it('normalises names as PEP 503 does', () => {
    assert.equal(normalizePackageName('Uvicorn_Worker'), 'uvicorn-worker');
    assert.equal(normalizePackageName('zope.interface'), 'zope-interface');
    assert.equal(normalizePackageName('a__-.b'), 'a-b');
  });
});

describe('PEP 508 requirements', () => {
  it('reads names, extras, specifiers, markers and URLs', () => {
    const r = parseRequirement('gunicorn[gevent, setproctitle] >=23.0,<24 ; python_version >= "3.8"')!;
    assert.deepEqual(
      [r.name, r.extras, r.specifier, r.marker],
      ['gunicorn', ['gevent', 'setproctitle'], '>=23.0,<24', 'python_version >= "3.8"'],
    );
    assert.equal(parseRequirement('uvicorn==0.29.0')!.version, '0.29.0');
    assert.equal(parseRequirement('uvicorn==0.*')!.version, undefined, 'a wildcard pins nothing');
    assert.equal(parseRequirement('Django (>=4.2)')!.specifier, '>=4.2');
    assert.equal(
      parseRequirement('pkg @ https://example.com/pkg-1.0.tar.gz')!.url,
      'https://example.com/pkg-1.0.tar.gz',
    );
    assert.equal(parseRequirement('./local/path'), undefined);
    assert.equal(parseRequirement('gevent >= one'), undefined);
  });
});

describe('requirements.txt', () => {
  it('reads a production file with an include, comments, hashes and continuations', () => {
    const text = [
      '# PRECAUTION: keep in step with base.txt',
      '',
      '-r base.txt',
      '--requirement=common/extra.txt',
      '-c constraints.txt',
      '--index-url https://pypi.org/simple',
      'gunicorn==23.0.0  # https://github.com/benoitc/gunicorn',
      'psycopg[c]==3.2.1 \\',
      '    --hash=sha256:0123456789abcdef',
      'uvicorn[standard]>=0.30,<1; sys_platform != "win32"',
      '-e git+https://github.com/org/lib.git@v1#egg=our_lib',
      '-e .',
      'https://example.com/wheels/thing-1.0-py3-none-any.whl',
      '${EXTRA_PACKAGE}',
    ].join('\n');
    const file = parseDependencyFile('requirements', text);
    assert.deepEqual(summary(file), [
      'gunicorn==23.0.0',
      'psycopg[c]==3.2.1',
      'uvicorn[standard]>=0.30,<1',
      'our-lib',
    ]);
    assert.deepEqual(written(file, text).slice(0, 3), [
      'gunicorn==23.0.0',
      'psycopg[c]==3.2.1',
      'uvicorn[standard]>=0.30,<1; sys_platform != "win32"',
    ]);
    assert.deepEqual(
      file.includes.map((i) => `${i.constraint ? '-c' : '-r'} ${i.path} @${text.slice(i.from, i.to)}`),
      [
        '-r base.txt @base.txt',
        '-r common/extra.txt @common/extra.txt',
        '-c constraints.txt @constraints.txt',
      ],
    );
    assert.deepEqual(
      file.localProjects.map((p) => p.path),
      ['.'],
    );
    assert.equal(file.unknown.length, 2, 'the wheel URL and the variable');
  });

  it('reads CRLF files with a byte order mark the same way', () => {
    const lf = 'flask==3.0.3\ngevent>=24.2\n';
    const crlf = `\uFEFF${lf.replace(/\n/g, '\r\n')}`;
    assert.deepEqual(
      summary(parseDependencyFile('requirements', crlf)),
      summary(parseDependencyFile('requirements', lf)),
    );
    const file = parseDependencyFile('requirements', crlf);
    assert.deepEqual(written(file, crlf), ['flask==3.0.3', 'gevent>=24.2']);
  });
});

describe('pyproject.toml', () => {
  it('reads PEP 621 dependencies, extras and PEP 735 groups', () => {
    const text = `[project]
name = "shop"
version = "1.0"
dependencies = [
    "django>=5.0",
    'gunicorn[gevent]==23.0.0',
]

[project.optional-dependencies]
aws = ["boto3"]

[dependency-groups]
dev = ["pytest>=8", {include-group = "lint"}]
lint = ["ruff"]
`;
    const file = parseDependencyFile('pyproject', text);
    assert.deepEqual(summary(file), [
      'django>=5.0',
      'gunicorn[gevent]==23.0.0',
      'boto3 (aws)',
      'pytest>=8 (dev)',
      'ruff (lint)',
    ]);
    assert.deepEqual(written(file, text).slice(0, 2), ['django>=5.0', 'gunicorn[gevent]==23.0.0']);
  });

  it('reads Poetry tables: strings, tables with extras, groups; skips python', () => {
    const text = `[tool.poetry.dependencies]
python = "^3.10"
uvicorn = {extras = ["standard"], version = "^0.24.0.post1"}
fastapi = "^0.109.1"
bcrypt = "4.0.1"
"Flask_Login" = "*"

[tool.poetry.group.dev.dependencies]
pytest = "^7.4.3"
`;
    const file = parseDependencyFile('pyproject', text);
    assert.deepEqual(summary(file), [
      'uvicorn[standard]^0.24.0.post1',
      'fastapi^0.109.1',
      'bcrypt==4.0.1',
      'flask-login',
      'pytest^7.4.3 (dev)',
    ]);
    assert.equal(file.packages[2]!.version, '4.0.1');
    assert.deepEqual(written(file, text), ['uvicorn', 'fastapi', 'bcrypt', 'Flask_Login', 'pytest']);
  });

  it('follows setuptools dynamic dependency files, and marks other dynamic dependencies unknown', () => {
    const withFile = parseDependencyFile(
      'pyproject',
      '[project]\nname = "x"\ndynamic = ["dependencies"]\n[tool.setuptools.dynamic]\ndependencies = {file = ["requirements.in"]}\n',
    );
    assert.deepEqual(
      withFile.includes.map((i) => i.path),
      ['requirements.in'],
    );
    assert.equal(withFile.unknown.length, 0);
    const computed = parseDependencyFile('pyproject', '[project]\nname = "x"\ndynamic = ["dependencies"]\n');
    assert.equal(computed.unknown.length, 1);
  });
});

describe('Pipenv and lock files', () => {
  it('reads a Pipfile and its lock', () => {
    const pipfile = `[[source]]\nurl = "https://pypi.org/simple"\n\n[packages]\ngunicorn = {version = "==22.0.0", extras = ["eventlet"]}\nflask = "*"\n\n[dev-packages]\npytest = ">=8"\n`;
    assert.deepEqual(summary(parseDependencyFile('pipfile', pipfile)), [
      'gunicorn[eventlet]==22.0.0',
      'flask',
      'pytest>=8 (dev)',
    ]);
    const lock = JSON.stringify(
      {
        _meta: { hash: { sha256: 'x' } },
        default: { eventlet: { version: '==0.36.1', hashes: [] }, gunicorn: { version: '==22.0.0' } },
        develop: { pytest: { version: '==8.2.0' } },
      },
      null,
      4,
    );
    const file = parseDependencyFile('pipfile-lock', lock);
    assert.deepEqual(
      file.packages.map((p) => `${p.name} ${p.version} ${p.locked}`),
      ['eventlet 0.36.1 true', 'gunicorn 22.0.0 true', 'pytest 8.2.0 true'],
    );
    assert.deepEqual(written(file, lock), ['eventlet', 'gunicorn', 'pytest']);
  });

  it('reads uv.lock and poetry.lock entries at their own name lines', () => {
    const uv = `version = 1
requires-python = ">=3.12"

[[package]]
name = "shop"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "uvicorn" },
]

[[package]]
name = "uvicorn"
version = "0.30.6"
source = { registry = "https://pypi.org/simple" }
`;
    const file = parseDependencyFile('uv-lock', uv);
    assert.deepEqual(
      file.packages.map((p) => `${p.name}==${p.version}`),
      ['shop==0.1.0', 'uvicorn==0.30.6'],
    );
    const at = file.packages[1]!;
    assert.equal(uv.slice(uv.lastIndexOf('\n', at.from) + 1, at.to + 1), 'name = "uvicorn"');
    const poetry =
      '[[package]]\nname = "gevent"\nversion = "24.2.1"\ndescription = "x"\n\n[metadata]\nlock-version = "2.0"\n';
    assert.deepEqual(summary(parseDependencyFile('poetry-lock', poetry)), ['gevent==24.2.1']);
  });
});

describe('setuptools files', () => {
  it('reads setup.cfg install_requires and extras_require', () => {
    const text = `[metadata]
name = shop

[options]
packages = find:
install_requires =
    django>=4.2
    gunicorn  # the server
python_requires = >=3.10

[options.extras_require]
async =
    gevent>=24
`;
    assert.deepEqual(summary(parseDependencyFile('setup-cfg', text)), [
      'django>=4.2',
      'gunicorn',
      'gevent>=24 (async)',
    ]);
  });

  it('reads literal lists in setup.py, through a module-level name, and marks computed ones unknown', () => {
    const literal = `from setuptools import setup

REQUIRES = ["flask>=3", 'gunicorn[gevent]']

setup(
    name="shop",
    install_requires=REQUIRES,
    extras_require={"test": ["pytest"]},
)
`;
    const file = parseDependencyFile('setup-py', literal);
    assert.deepEqual(summary(file), ['flask>=3', 'gunicorn[gevent]', 'pytest (test)']);
    assert.deepEqual(written(file, literal).slice(0, 2), ['flask>=3', 'gunicorn[gevent]']);
    const computed = parseDependencyFile(
      'setup-py',
      'import setuptools\nsetuptools.setup(install_requires=open("requirements.txt").read().splitlines())\n',
    );
    assert.deepEqual(computed.packages, []);
    assert.equal(computed.unknown.length, 1);
  });
});

describe('junk never throws', () => {
  const kinds: DependencyFileKind[] = [
    'requirements',
    'pyproject',
    'pipfile',
    'pipfile-lock',
    'poetry-lock',
    'uv-lock',
    'setup-cfg',
    'setup-py',
    'conda',
  ];
  const samples = [
    '',
    '\uFEFF',
    '\r\n\r\n',
    '[',
    '[[package]]\nname = 3\n',
    '{"default": null}',
    '-r',
    '--requirement=',
    '-e',
    'gunicorn[',
    '\\\n\\\n\\',
    'setup(install_requires=[',
    '[options]\ninstall_requires =\n  ===\n',
    '\u0000\u0001\u0002',
    'x'.repeat(10000),
  ];
  it('gives an empty or partial declaration for broken files of every kind', () => {
    let seed = 7;
    const random = (): string => {
      let out = '';
      for (let i = 0; i < 200; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        out += '[]{}"\'=,#\\\n\r -abc.:@;<>~^*'[seed % 27];
      }
      return out;
    };
    for (const kind of kinds) {
      for (const text of [...samples, random(), random(), random()]) {
        const file = parseDependencyFile(kind, text);
        assert.ok(Array.isArray(file.packages), `${kind}: ${JSON.stringify(text.slice(0, 20))}`);
        for (const p of file.packages) assert.ok(p.from <= p.to && p.to <= text.length + 1, kind);
      }
    }
  });
});
