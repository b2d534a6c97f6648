import { afterAll, beforeAll, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { describeEachDialect } from '../support/databases.js';
import { createTestApp, waitFor, type TestApp } from '../support/app.js';
import { articleRow } from '../support/blog-data.js';
import { commentNotificationJob } from '../../src/jobs/index.js';
import { startWorkerRole } from '../../src/jobs/worker-role.js';
import { parseBackoff } from '../../src/domain/backoff.js';
import type { RunningWorker } from '../../src/services/queue-worker.js';

interface Received {
  from: string;
  to: string[];
  data: string;
}

// The comment notification job end to end: queue -> worker -> repository join -> nodemailer -> an SMTP sink on
// loopback (smtp-server), on each dialect.
describeEachDialect('comment notification mail', (dialect) => {
  const inbox: Received[] = [];
  let smtp: SMTPServer;
  let t: TestApp;
  let worker: RunningWorker;
  const ids = { pending: 0, spam: 0 };

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (d: Buffer) => (data += d.toString()));
        stream.on('end', () => {
          inbox.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            data,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as { port: number }).port;
    t = await createTestApp(dialect, {
      MAIL_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: 'Blog <blog@example.com>',
      APP_URL: 'https://blog.example.com',
    });
    const db = t.app.db.primary;
    const now = new Date();
    await db
      .insertInto('users')
      .values({
        email: 'ada@example.com',
        name: 'Ada',
        role: 'author',
        password_hash: 'x',
        bio: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const author = await db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    await db
      .insertInto('articles')
      .values(articleRow(now, { author_id: author.id, title: 'On Engines', slug: 'on-engines' }))
      .execute();
    const article = await db.selectFrom('articles').select('id').executeTakeFirstOrThrow();
    const comment = (body: string, status: 'pending' | 'spam') => ({
      article_id: article.id,
      author_name: 'Charles',
      author_email: 'c@example.com',
      body,
      status,
      ip: null,
      user_agent: null,
      created_at: now,
    });
    await db
      .insertInto('comments')
      .values([comment('Splendid analysis.', 'pending'), comment('cheap pills', 'spam')])
      .execute();
    const rows = await db.selectFrom('comments').select(['id', 'status']).execute();
    ids.pending = Number(rows.find((r) => r.status === 'pending')!.id);
    ids.spam = Number(rows.find((r) => r.status === 'spam')!.id);
    worker = startWorkerRole(t.app, {
      queues: ['mail'],
      concurrency: 1,
      sleepMs: 50,
      tries: 2,
      backoff: parseBackoff('0.05')!,
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  });

  it("mails the article's author about a new comment, through the mail queue", async () => {
    const job = commentNotificationJob(ids.pending);
    expect(job.queue).toBe('mail');
    await t.app.queue.enqueue(job);
    await waitFor('the mail to arrive', () => inbox.length === 1);
    const [mail] = inbox;
    expect(mail!.from).toBe('blog@example.com');
    expect(mail!.to).toEqual(['ada@example.com']);
    // nodemailer Q-encodes the quotes in the subject header.
    expect(mail!.data).toContain('Subject: =?UTF-8?Q?New_comment_on_=22On_Engines=22?=');
    expect(mail!.data).toContain('It waits for moderation before it is shown.');
    expect(mail!.data).toContain('Splendid analysis.');
    expect(mail!.data).toContain(`https://blog.example.com/articles/on-engines#comment-${ids.pending}`);
  });

  it('sends nothing for a spam comment or a deleted one, and fails a job with a bad payload', async () => {
    await t.app.queue.enqueue(commentNotificationJob(ids.spam));
    await t.app.queue.enqueue(commentNotificationJob(999_999));
    await t.app.queue.enqueue({ name: 'comments:notify-author', payload: { commentId: 'seven' }, queue: 'mail' });
    await waitFor('the bad payload in failed jobs', async () => (await t.app.queue.listFailed()).length === 1);
    await waitFor(
      'the queue to drain',
      async () => (await t.app.queue.counts()).find((q) => q.queue === 'mail')?.waiting === 0,
    );
    expect(inbox).toHaveLength(1);
    const [failed] = await t.app.queue.listFailed();
    expect(failed!.error).toBe('expected a payload like {"commentId": 12}');
  });
});
