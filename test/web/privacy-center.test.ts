/**
 * The privacy center in headless Chromium (Debian's chromium, driven by playwright-core) against
 * the real server on a real database. A subject logs in with login and password (session cookie),
 * sees its own data unmasked, opts out of marketing, gives notice of withdrawal and sees the date
 * three months ahead, downloads its export, asks for erasure; another subject reports a suspected
 * compromise and sets a new password; the DPO, with a pasted token, erases the first subject,
 * finds the receipt and the log entries and verifies the chain. Throughout: no request leaves
 * localhost, no personal value reaches a URL, storage or the console.
 *
 * Screenshots of each screen go to a temporary folder; with UPDATE_SCREENSHOTS=1 to docs/screens/.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { iinCheckDigit } from '../../src/kz/identifiers';
import { PROJECT_ROOT } from '../../src/paths';
import { placeOrder, registerClient, type Registered } from '../support/accounts';
import { startWorld, type World } from '../support/world';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENS = process.env.UPDATE_SCREENSHOTS ? join(PROJECT_ROOT, 'docs', 'screens') : mkdtempSync(join(tmpdir(), 'kzpay-screens-'));
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

jest.setTimeout(90_000);

let world: World;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let subject: Registered;
let other: Registered;
let orderId: string;
let exportedFile: Record<string, any>;
const requested: string[] = [];
const visited: string[] = [];
const consoleLines: Array<{ type: string; text: string }> = [];

const NEW_PASSWORD = 'a brand new passphrase 2026';
/** A legal entity's BIN registered 2018-04, with a valid check digit. */
const PARTNER_BIN = (() => {
  for (let serial = 1; ; serial++) {
    const first11 = `1804400${String(serial).padStart(4, '0')}`;
    const check = iinCheckDigit(first11);
    if (check !== null) return `${first11}${check}`;
  }
})();

/** The subject's personal values as the page would show them, and as they would appear in a URL. */
function personalValues(of: Registered): string[] {
  const input = of.input;
  return [input.login, input.iin, input.surname, input.firstName, input.phones[0], input.phones[0].slice(1), input.emails[0], input.bankAccounts[0].iban, input.password];
}

/** "+77011000001" as the page groups it. */
const groupedPhone = (e164: string) => e164.replace(/^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/, '+7 $1 $2 $3 $4');

/** Notice day in Kazakhstan (UTC+5) plus three calendar months, the month's end clamped, as dd.mm.yyyy (P3). */
function threeMonthsAhead(now = new Date()): string {
  const kz = new Date(now.getTime() + 5 * 3600_000);
  const [year, month, day] = [kz.getUTCFullYear(), kz.getUTCMonth() + 3, kz.getUTCDate()];
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const date = new Date(Date.UTC(year, month, Math.min(day, lastDay)));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}.${pad(date.getUTCMonth() + 1)}.${date.getUTCFullYear()}`;
}

async function shot(name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.getByText('Загрузка…').first().waitFor({ state: 'detached' }).catch(() => undefined);
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: options.fullPage ?? true });
}

/** Every visible form control has a label a screen reader reads. */
async function expectLabelledControls(): Promise<void> {
  // Run in the page (a string, as the test's own TypeScript has no DOM types).
  const unlabelled = await page.evaluate(`[...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.offsetParent !== null)
    .filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
    .map((el) => el.outerHTML.slice(0, 80))`);
  expect(unlabelled).toEqual([]);
}

/** Opens a screen by its navigation link; its heading takes focus. */
async function open(link: string, heading: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  expect(await page.evaluate('document.activeElement.tagName')).toBe('H1');
  await expectLabelledControls();
}

async function expectNothingStored(): Promise<void> {
  expect(await page.evaluate('[localStorage.length, sessionStorage.length, document.cookie]')).toEqual([0, 0, '']);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  mkdirSync(SCREENS, { recursive: true });
  world = await startWorld();
  origin = new URL(world.app.url).origin;
  [subject, other] = await Promise.all([registerClient(world, { marketing: true }), registerClient(world)]);
  orderId = await placeOrder(world, subject.token, { contactPhone: subject.input.phones[0] });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  context = await browser.newContext({ acceptDownloads: true, viewport: DESKTOP, locale: 'ru-RU' });
  context.setDefaultTimeout(20_000);
  context.on('request', (request) => requested.push(request.url()));
  page = await context.newPage();
  page.on('framenavigated', (frame) => frame === page.mainFrame() && visited.push(frame.url()));
  page.on('console', (message) => consoleLines.push({ type: message.type(), text: message.text() }));
  page.on('pageerror', (error) => consoleLines.push({ type: 'pageerror', text: error.message }));
});

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

describe('the subject', () => {
  it('logs in with login and password (an HttpOnly session cookie, nothing stored by the page)', async () => {
    await page.goto(`${origin}/privacy/`);
    await page.getByRole('heading', { level: 1, name: 'Вход в центр конфиденциальности' }).waitFor();
    await expectLabelledControls();
    await shot('01-login', { fullPage: false });
    await page.getByLabel('Логин').fill(subject.input.login);
    await page.getByLabel('Пароль').fill(subject.input.password);
    await page.getByLabel('Пароль').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Мои данные' }).waitFor();
    const cookies = await context.cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite, c.path])).toEqual([['kzp_session', true, 'Strict', '/graphql']]);
    await expectNothingStored();
  });

  it('sees its own data in full, nothing masked, and its order', async () => {
    const main = page.getByRole('main');
    await main.getByText('Все ваши данные показаны полностью').waitFor();
    const text = await main.innerText();
    const input = subject.input;
    for (const value of [input.surname, input.firstName, input.patronymic, input.iin, groupedPhone(input.phones[0]), input.emails[0], input.login, input.bankAccounts[0].bankName]) {
      expect(text).toContain(value);
    }
    expect(text.replace(/\s/g, '')).toContain(input.bankAccounts[0].iban);
    expect(text).not.toContain('**');
    expect(await main.getByText('скрыто', { exact: true }).count()).toBe(0);
    await expect(main.getByRole('row').filter({ hasText: orderId.slice(0, 8) }).innerText()).resolves.toMatch(/новый.*30\s₸/s);
    await shot('02-my-data');
  });

  it('reads well on a phone: nothing wider than the screen', async () => {
    await page.setViewportSize(PHONE);
    await page.getByText('Все ваши данные показаны полностью').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await shot('02-my-data-phone');
    await page.setViewportSize(DESKTOP);
  });

  it('opts out of marketing at once, nothing else changing', async () => {
    await open('Согласие', 'Согласие на обработку данных');
    const current = page.getByRole('region', { name: 'Текущее согласие' });
    await current.getByText('Информирование о новых продуктах и услугах (рассылки)').waitFor();
    await page.getByRole('button', { name: 'Отказаться от рассылок' }).click();
    await page.getByText('Готово: рассылки отключены сразу').waitFor();
    await current.getByText('Информирование о новых продуктах и услугах (рассылки)').waitFor({ state: 'detached' });
    const consent = (await world.gql(`{ me { consents { kind status purposes } } }`, {}, subject.token)).body.data!.me.consents;
    expect(consent.at(-1)).toMatchObject({ kind: 'PURPOSES_NARROWED', status: 'ACTIVE' });
    expect(consent.at(-1).purposes).not.toContain('MARKETING');
    expect(consent.at(-1).purposes).toContain('CONTRACT_PERFORMANCE');
  });

  it('gives written notice of withdrawal and sees the date three months ahead, and the open order holding it back', async () => {
    await page.getByLabel('Текст уведомления об отзыве').fill('Прошу прекратить обработку моих персональных данных.');
    await page.getByRole('button', { name: 'Отправить уведомление' }).click();
    const pending = page.getByRole('region', { name: 'Отзыв подан' });
    await pending.getByText(`Отзыв вступит в силу ${threeMonthsAhead()}.`).waitFor();
    await pending.getByText('Есть незавершённые заказы').waitFor();
    expect(await pending.innerText()).toContain(orderId.slice(0, 8));
    await pending.getByRole('button', { name: 'Отменить отзыв' }).waitFor();
    const history = page.getByRole('table', { name: 'Все записи согласия, сначала старые' });
    expect(await history.getByRole('row').count()).toBe(4);
    const consent = (await world.gql(`{ me { consents { status withdrawalEffectiveAt } } }`, {}, subject.token)).body.data!.me.consents;
    expect(consent.at(-1).status).toBe('WITHDRAWAL_PENDING');
    await shot('03-consent');
  });

  it('downloads its export as JSON (no personal value in the file name)', async () => {
    await open('Выгрузка', 'Выгрузка моих данных');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Скачать мои данные (JSON)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^kzpay-dannye-\d{4}-\d{2}-\d{2}\.json$/);
    exportedFile = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(exportedFile.client).toMatchObject({ id: subject.clientId, iin: subject.input.iin, login: subject.input.login, phones: subject.input.phones });
    expect(exportedFile.orders.map((o: { id: string }) => o.id)).toEqual([orderId]);
    expect(exportedFile.consents.map((c: { kind: string }) => c.kind)).toEqual(['GIVEN', 'PURPOSES_NARROWED', 'WITHDRAWAL_REQUESTED']);
    expect(exportedFile.redactions).toBeUndefined();
    await page.getByText(/Файл сформирован .* В нём 1 заказ, 3 записи согласия/).waitFor();
    await shot('04-export');
  });

  it('sees who received its data: the export it just made', async () => {
    await open('Кому передавались', 'Кому передавались мои данные');
    const rows = page.getByRole('table', { name: 'Передачи ваших данных, сначала новые' }).getByRole('row');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(1).innerText()).toMatch(/Сам клиент \(выгрузка данных\)[\s\S]*ФИО[\s\S]*Право клиента знать/);
    await shot('05-disclosures');
  });

  it('asks for erasure after a plain statement that login and password go too, and sees the request pending', async () => {
    await open('Удаление', 'Удаление моих данных');
    const main = page.getByRole('main');
    await main.getByText('а также логин и пароль: войти в сервис будет нельзя, и оформить новые заказы будет невозможно').waitFor();
    await main.getByText('Запросов на удаление нет.').waitFor();
    const submit = page.getByRole('button', { name: 'Запросить удаление' });
    expect(await submit.isDisabled()).toBe(true);
    await page.getByLabel('Я понимаю, что логин и пароль будут удалены').check();
    await submit.click();
    await main.getByText('Запрос отправлен.').waitFor();
    await main.getByText(/Запрос от \d{2}\.\d{2}\.\d{4} \d{2}:\d{2} ожидает исполнения ответственным лицом\./).waitFor();
    const dpo = world.tokens.dpo;
    const pending = (await world.gql(`{ erasureRequests { edges { node { clientId status } } } }`, {}, dpo)).body.data!.erasureRequests.edges.map((e: { node: unknown }) => e.node);
    expect(pending).toContainEqual({ clientId: subject.clientId, status: 'PENDING' });
    await shot('06-erasure');
  });

  it('reads the policy in Russian with the P8 contacts', async () => {
    await open('Политика', 'Политика конфиденциальности');
    const main = page.getByRole('main');
    await main.getByText('Казахстан, Алматы, Микрорайон АКСАЙ-2, дом 73, кв/офис 88', { exact: true }).waitFor();
    await main.getByText('+7 777 248 74 63').waitFor();
    await main.getByText(/технология «cookies»/).waitFor();
    await shot('07-policy', { fullPage: false });
  });

  it('logs out, back to the login screen', async () => {
    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.getByText('Вы вышли.').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Вход в центр конфиденциальности' }).waitFor();
    expect(await context.cookies()).toEqual([]);
  });
});

describe('another subject reporting a suspected compromise (P7)', () => {
  it('ends every session, then must set a new password before logging in again', async () => {
    await page.goto(`${origin}/privacy/#/security`);
    await page.getByLabel('Логин').fill(other.input.login);
    await page.getByLabel('Пароль').fill(other.input.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('heading', { level: 1, name: 'Безопасность' }).waitFor();
    await shot('08-security', { fullPage: false });
    await page.getByLabel('Завершить все сеансы и сменить пароль').check();
    await page.getByRole('button', { name: 'Сообщить о подозрении на взлом' }).click();
    await page.getByText('Все сеансы завершены.').waitFor();
    expect((await world.gql(`{ me { id } }`, {}, other.token)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    await page.getByLabel('Логин').fill(other.input.login);
    await page.getByLabel('Пароль').fill(other.input.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('heading', { level: 1, name: 'Задайте новый пароль' }).waitFor();
    await page.getByRole('textbox', { name: 'Новый пароль (обязательное поле)' }).fill(NEW_PASSWORD);
    await page.getByRole('textbox', { name: 'Повторите пароль (обязательное поле)' }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Сменить пароль' }).click();
    await page.getByText('Пароль изменён. Войдите с новым паролем.').waitFor();

    await page.getByLabel('Логин').fill(other.input.login);
    await page.getByLabel('Пароль').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('heading', { level: 1, name: 'Мои данные' }).waitFor();
    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.getByText('Вы вышли.').waitFor();
  });
});

describe('the privacy officer', () => {
  let dpoToken: string;

  it('pastes a token once; the console refuses one without the role', async () => {
    await page.getByRole('link', { name: 'Консоль ответственного лица' }).click();
    await page.getByRole('heading', { level: 1, name: 'Вход в консоль' }).waitFor();
    await page.getByLabel('Токен ответственного лица (JWT)').fill(other.token);
    await page.getByRole('button', { name: 'Войти в консоль' }).click();
    await page.getByText('Этот токен не даёт прав ответственного лица').waitFor();
    dpoToken = world.tokens.dpo;
    await page.getByLabel('Токен ответственного лица (JWT)').fill(dpoToken);
    await page.getByRole('button', { name: 'Войти в консоль' }).click();
    await page.getByRole('heading', { level: 1, name: 'Запросы на удаление' }).waitFor();
    await expectNothingStored();
  });

  it('erases the subject from its pending request, with basis and reference, and gets the receipt', async () => {
    const row = page.getByRole('table', { name: 'Ожидающие запросы, сначала старые' }).getByRole('row').filter({ hasText: subject.clientId.slice(0, 8) });
    await row.getByRole('button', { name: /^Открыть/ }).click();
    const form = page.getByRole('region', { name: 'Удаление данных клиента' });
    await form.getByText(new RegExp(`^${subject.input.surname} ${subject.input.firstName}`)).waitFor();
    expect(await form.getByLabel('Основание', { exact: true }).inputValue()).toBe('SUBJECT_REQUEST');
    const reference = await form.getByLabel(/Номер запроса/).inputValue();
    expect(reference).toMatch(/^[0-9a-f-]{36}$/);
    await form.getByLabel('Я проверил основание: удаление необратимо').check();
    await shot('09-dpo-erasure');
    await form.getByRole('button', { name: 'Удалить данные клиента' }).click();

    const receipt = page.getByRole('group', { name: 'Квитанция об удалении' });
    await receipt.waitFor();
    const text = await receipt.innerText();
    expect(text).toContain(subject.clientId);
    expect(text).toContain(reference);
    expect(text).toMatch(/Логин.*Пароль/s);
    expect(text).toContain(`${orderId.slice(0, 8)} (новый)`);
    const client = (await world.gql(`query($id: ID!) { client(id: $id) { status } }`, { id: subject.clientId }, dpoToken)).body.data!.client;
    expect(client.status).toBe('ERASED');
    await page.getByText('Ожидающих запросов нет.').waitFor();
  });

  it('finds the receipt again by the client id', async () => {
    const receipts = page.getByRole('region', { name: 'Квитанции', exact: true });
    await receipts.getByLabel('Идентификатор клиента (необязательно)').fill(subject.clientId);
    await receipts.getByRole('button', { name: 'Найти' }).click();
    const rows = receipts.getByRole('table', { name: 'Квитанции об удалении, сначала новые' }).getByRole('row');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    await rows.nth(1).getByRole('button', { name: /^Открыть/ }).click();
    await receipts.getByRole('group', { name: /^Квитанция об удалении / }).getByText(subject.clientId).waitFor();
    await shot('10-dpo-receipt');
  });

  it("finds the subject's log entries and verifies the chain, whose head matches the database", async () => {
    await page.getByRole('region', { name: 'Квитанции', exact: true }).getByRole('button', { name: 'Журнал передач по этому клиенту' }).click();
    await page.getByRole('heading', { level: 1, name: 'Журнал передачи данных' }).waitFor();
    expect(await page.getByLabel('Идентификатор клиента').first().inputValue()).toBe(subject.clientId);
    const rows = page.getByRole('table', { name: 'Записи журнала, сначала новые' }).getByRole('row');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(1).innerText()).toMatch(/Сам клиент \(выгрузка данных\)[\s\S]*PrivacyCenterExport/);

    await page.getByRole('button', { name: 'Проверить цепочки' }).click();
    await page.getByText(/Журнал цел\. Проверено записей: \d+, цепочек: \d+\./).waitFor();
    const lastOfEach = await world.em().getConnection().execute<Array<{ chain: string; chain_seq: string; hash: string }>>(
      'select distinct on (chain) chain, chain_seq, hash from disclosure_log order by chain, chain_seq desc',
    );
    const heads = lastOfEach.map((row) => `${row.chain}=${row.chain_seq}:${row.hash}`);
    expect(heads).toContainEqual(expect.stringMatching(`^subject:${subject.clientId}=1:`));
    expect((await page.getByLabel('Головы цепочек (сохраните вне базы данных)').inputValue()).split('\n')).toEqual(heads);
    // Passed back, the kept heads verify.
    await page.getByLabel('Ожидаемые головы (необязательно)').fill(heads.join('\n'));
    await page.getByRole('button', { name: 'Проверить цепочки' }).click();
    await page.getByText(/Журнал цел\./).waitFor();
    await shot('11-dpo-log');
  });

  it('registers a lawful request, issues a token shown once, and sees it listed', async () => {
    await open('Запросы госорганов', 'Запросы государственных органов');
    const form = page.getByRole('region', { name: 'Зарегистрировать запрос' });
    await form.getByLabel('Государственный орган').fill('Департамент полиции г. Алматы');
    await form.getByLabel('Номер документа').fill('12-3/456');
    await form.getByLabel('Дата документа').fill('01.12.2026');
    await form.getByLabel('Правовое основание (статья закона)').fill('ст. 9 Закона РК «О персональных данных и их защите»');
    await form.getByLabel('Идентификаторы клиентов, по одному в строке').fill(other.clientId);
    await form.getByLabel('Телефоны').check();
    await form.getByLabel('Действует по (включительно)').fill('31.12.2099');
    await form.getByRole('button', { name: 'Зарегистрировать запрос' }).click();
    const row = page.getByRole('row').filter({ hasText: '12-3/456' });
    await row.waitFor();
    await row.getByRole('button', { name: /^Открыть/ }).click();
    const detail = page.getByRole('region', { name: /Департамент полиции г\. Алматы, № 12-3\/456/ });
    await detail.getByRole('button', { name: 'Выдать токен' }).click();
    const token = await detail.getByLabel('Выданный токен').inputValue();
    expect(token.split('.')).toHaveLength(3);
    await detail.getByRole('table', { name: 'Токены' }).getByText('действует').waitFor();
    const subjects = await world.gql(`{ authorityRequestSubjects { totalCount } }`, {}, token);
    expect(subjects.body.data!.authorityRequestSubjects.totalCount).toBe(1);
    await shot('12-dpo-requests');
  });

  it("finds a client by IIN and downloads that client's full export (clientData)", async () => {
    await open('Клиенты', 'Клиенты');
    await page.getByLabel('ИИН или БИН').fill(other.input.iin);
    await page.getByRole('button', { name: 'Найти', exact: true }).click();
    const row = page.getByRole('table', { name: 'Найденные клиенты' }).getByRole('row').filter({ hasText: other.clientId.slice(0, 8) });
    await row.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Выгрузить данные (JSON)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^kzpay-vygruzka-klienta-\d{4}-\d{2}-\d{2}\.json$/);
    const file = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(file.client).toMatchObject({ id: other.clientId, iin: other.input.iin, login: other.input.login });
    expect(file.securityEvents.map((e: { kind: string }) => e.kind)).toEqual(['COMPROMISE_REPORTED', 'PASSWORD_CHANGED']);
    await page.getByText('Все данные показаны полностью').waitFor();
    await shot('14-dpo-clients');
  });

  it('registers a partner and a contract, and issues a scoped partner token', async () => {
    await open('Партнёры', 'Партнёры и договоры');
    const register = page.getByRole('region', { name: 'Зарегистрировать партнёра' });
    await register.getByLabel('Наименование партнёра').fill('ТОО «Курьер Экспресс»');
    await register.getByLabel('БИН партнёра').fill(PARTNER_BIN);
    await register.getByRole('button', { name: 'Зарегистрировать партнёра' }).click();
    const partner = page.getByRole('region', { name: `ТОО «Курьер Экспресс» (БИН ${PARTNER_BIN})`, exact: true });
    await partner.getByText('Договоров нет.').waitFor();
    const contract = page.getByRole('region', { name: 'Зарегистрировать договор' });
    await contract.getByLabel('Номер договора').fill('AG-2026/7');
    await contract.getByLabel('Действует с').fill('01.01.2026');
    await contract.getByLabel('Действует по').fill('31.12.2030');
    await contract.getByLabel('Контакты в заказах').check();
    await contract.getByRole('button', { name: 'Зарегистрировать договор' }).click();
    await partner.getByRole('row').filter({ hasText: 'AG-2026/7' }).getByRole('button', { name: /^Открыть/ }).click();
    const detail = partner.getByRole('region', { name: 'Номер договора AG-2026/7' });
    await detail.getByRole('button', { name: 'Выдать токен' }).click();
    expect((await detail.getByLabel('Выданный токен').inputValue()).split('.')).toHaveLength(3);
    await detail.getByRole('table', { name: 'Токены' }).getByText('Контакты в заказах').waitFor();
    await shot('13-dpo-partners');
  });
});

describe('throughout', () => {
  it('no request left localhost', () => {
    expect(requested.length).toBeGreaterThan(20);
    const hosts = new Set(requested.map((url) => new URL(url.startsWith('blob:') ? url.slice('blob:'.length) : url).hostname));
    expect([...hosts]).toEqual(['localhost']);
  });

  it('no personal value reached a URL, storage or the console; the console has no error but the refused token\'s 401', async () => {
    const values = [...personalValues(subject), ...personalValues(other), NEW_PASSWORD];
    for (const url of [...requested, ...visited]) {
      const decoded = decodeURIComponent(url);
      for (const value of values) expect({ url: decoded, has: decoded.includes(value) }).toEqual({ url: decoded, has: false });
      // Not even an id: screens are named by the fragment alone (a download's blob: URL is the browser's own random name).
      if (!decoded.startsWith('blob:')) expect(decoded).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    }
    await expectNothingStored();
    for (const line of consoleLines) for (const value of values) expect(line.text).not.toContain(value);
    // A Content-Security-Policy violation or a script error would show here.
    const problems = consoleLines.filter((line) => ['error', 'warning', 'pageerror'].includes(line.type));
    expect(problems).toEqual([{ type: 'error', text: 'Failed to load resource: the server responded with a status of 401 (Unauthorized)' }]);
  });
});
