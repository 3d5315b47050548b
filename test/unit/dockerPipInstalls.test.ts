// What a Dockerfile installs with Python's package tools: commands, options, files through COPY and bind mounts,
// stages, and the base image.

import { strict as assert } from 'node:assert';
import { dockerInstalls } from '../../server/src/languages/commands/dockerPipInstalls';
import { shellCommands } from '../../server/src/languages/commands/shellWords';

describe('shell words of a RUN', () => {
  it('splits commands at operators and keeps quoted words whole, with their offsets', () => {
    const text = `pip install "gunicorn[gevent]==23.0.0" && echo 'a b' ; uv sync`;
    const commands = shellCommands(text, 100);
    assert.deepEqual(
      commands.map((c) => c.map((w) => w.value)),
      [
        ['pip', 'install', 'gunicorn[gevent]==23.0.0'],
        ['echo', 'a b'],
        ['uv', 'sync'],
      ],
    );
    const word = commands[0]![2]!;
    assert.equal(text.slice(word.from - 100, word.to - 100), '"gunicorn[gevent]==23.0.0"');
    assert.equal(shellCommands('pip install $PKGS', 0)[0]![2]!.dynamic, true);
    assert.equal(shellCommands("pip install '$literal'", 0)[0]![2]!.dynamic, false);
  });
});

describe('Dockerfile package installs', () => {
  it('reads pip, pip3, python -m pip and uv pip, with specs, -r files and the project', () => {
    const text = `ARG PYTHON=3.12
FROM python:\${PYTHON}-slim
WORKDIR /srv/app
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/production.txt \\
    # the server itself, pinned
    && pip3 install "gunicorn[gevent]==23.0.0"
RUN python3.12 -m pip install --upgrade -i https://pypi.org/simple uvicorn-worker
RUN uv pip install --system -rrequirements/extra.txt
COPY . .
RUN pip install -e .
`;
    const result = dockerInstalls(text);
    assert.equal(result.baseImage, 'python:3.12-slim');
    const [first, second, third, fourth, fifth] = result.installs;
    assert.deepEqual(
      first!.requirementFiles.map((f) => f.path),
      ['/srv/app/requirements/production.txt'],
    );
    assert.deepEqual(
      second!.packages.map((p) => [p.name, p.extras, p.version, text.slice(p.from, p.to)]),
      [['gunicorn', ['gevent'], '23.0.0', 'gunicorn[gevent]==23.0.0']],
    );
    assert.deepEqual(
      third!.packages.map((p) => p.name),
      ['uvicorn-worker'],
      'the index URL is no package',
    );
    assert.deepEqual(
      fourth!.requirementFiles.map((f) => f.path),
      ['/srv/app/requirements/extra.txt'],
    );
    assert.deepEqual(
      fifth!.projects.map((p) => p.path),
      ['/srv/app/'],
    );
    assert.deepEqual(
      fifth!.copies.map((c) => `${c.sources.join(',')}->${c.target}`),
      ['requirements/->/srv/app/requirements/', '.->/srv/app/'],
    );
  });

  it('reads poetry, pipenv, uv sync, bind mounts and distribution packages', () => {
    const text = `FROM python:3.12
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache --mount=type=bind,source=uv.lock,target=uv.lock uv sync --frozen
RUN poetry install --no-root --only main
RUN pipenv install --system --deploy
RUN apt-get update && apt-get install -y --no-install-recommends python3-gevent libpq5
RUN pip install $EXTRA ./vendor/thing-1.0-py3-none-any.whl
`;
    const installs = dockerInstalls(text).installs;
    assert.deepEqual(
      installs.map((i) => i.projects.map((p) => p.path).join(',')),
      ['/app', '/app', '/app', '', ''],
    );
    assert.deepEqual(installs[0]!.copies, [{ sources: ['uv.lock'], target: '/app/uv.lock' }]);
    assert.deepEqual(
      installs[3]!.packages.map((p) => p.name),
      ['gevent'],
    );
    assert.equal(installs[4]!.unknown.length, 2, 'a variable and a wheel file');
  });

  it('keeps the stages the final image builds on or copies from, and follows FROM <stage> to the base image', () => {
    const text = `FROM python:3.11-slim AS base
RUN pip install gunicorn

FROM base AS test
RUN pip install pytest

FROM node:20 AS assets
RUN npm ci

FROM base
COPY --from=assets /src/dist /app/static
RUN pip install gevent
`;
    const result = dockerInstalls(text);
    assert.deepEqual(
      result.installs.flatMap((i) => i.packages.map((p) => p.name)),
      ['gunicorn', 'gevent'],
    );
    assert.equal(result.baseImage, 'python:3.11-slim');
  });

  it('reads commands inside sh -c, and marks scripts and other package tool commands as unknown', () => {
    const text = `FROM python:3.12
WORKDIR /app
RUN bash -c "if [ $DEV == 'true' ] ; then poetry install --no-root ; else poetry install --no-root --only main ; fi"
RUN ./scripts/install-extras.sh
RUN pdm install --prod
RUN pip wheel -r requirements.txt -w /wheels && poetry config virtualenvs.create false && echo pip
`;
    const installs = dockerInstalls(text).installs;
    assert.deepEqual(
      installs.map((i) =>
        i.projects.length ? `project ${i.projects[0]!.path}` : `unknown ${i.unknown[0]?.reason}`,
      ),
      [
        'project /app',
        'project /app',
        'unknown a script we do not read (./scripts/install-extras.sh)',
        'unknown pdm install --prod',
      ],
      'pip wheel, poetry config and echo install nothing',
    );
  });

  it('never throws on junk', () => {
    for (const text of [
      '',
      'RUN',
      'FROM',
      'RUN ["pip", "install"',
      'RUN pip install -r',
      'RUN \\\n\\\n',
      '\uFEFFFROM x\r\nRUN pip install "a',
    ]) {
      assert.ok(Array.isArray(dockerInstalls(text).installs));
    }
  });
});
