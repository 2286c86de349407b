import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { humanLogLine } from './log-format.js';
import { createLogger } from './logger.js';

const time = Date.UTC(2026, 10, 26, 12, 0, 1, 234);

describe('human-readable log lines', () => {
  it('shows time, level, message and the other fields as key=value', () => {
    const json = JSON.stringify({
      level: 30,
      time,
      service: 'herald',
      msg: 'Server listening at http://127.0.0.1:8080',
      reqId: 'req-1',
      delivery: { id: 'dlv_1' },
      note: 'two words',
    });
    expect(humanLogLine(json)).toBe(
      '12:00:01.234 INFO  Server listening at http://127.0.0.1:8080  reqId=req-1 delivery={"id":"dlv_1"} note="two words"\n',
    );
  });

  it('indents an error stack under its line, and leaves a line that is not JSON alone', () => {
    const json = JSON.stringify({ level: 50, time, msg: 'boom', err: { message: 'x', stack: 'Error: x\n    at f' } });
    expect(humanLogLine(json)).toBe('12:00:01.234 ERROR boom\n    Error: x\n        at f\n');
    expect(humanLogLine('plain text')).toBe('plain text\n');
  });

  it('createLogger writes them in the human format, with keys still redacted; JSON otherwise', () => {
    let out = '';
    const sink = { write: (s: string) => (out += s) };
    createLogger('info', sink, 'human').info({ apiKey: 'hk_secret', n: 1 }, 'hello');
    expect(out).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}hello {2}apiKey=\[redacted\] n=1\n$/);
    let json = '';
    const jsonSink = new Writable({
      write(c: Buffer, _e, done) {
        json += c.toString();
        done();
      },
    });
    createLogger('info', jsonSink).info('hello');
    expect(JSON.parse(json)).toMatchObject({ level: 30, msg: 'hello', service: 'herald' });
  });

  it('without a destination: human lines when stdout is a terminal, JSON lines when it is not', () => {
    const isTTY = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
      createLogger('info').info('on a terminal');
      Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
      createLogger('info').info('in a pipe');
      const lines = write.mock.calls.map(([chunk]) => String(chunk));
      expect(lines.find((l) => l.includes('on a terminal'))).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}on a terminal\n$/);
      expect(JSON.parse(lines.find((l) => l.includes('in a pipe'))!)).toMatchObject({ msg: 'in a pipe' });
    } finally {
      write.mockRestore();
      if (isTTY) Object.defineProperty(process.stdout, 'isTTY', isTTY);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
    }
  });
});
