/**
 * `npm run province -- ca …`: a test CA and client certificates for RSA, ECDSA P-256 and SM2, and a
 * signer standing in for the USB-key driver (the PIN stays the key's business). Files go under a
 * directory the user names (default .data/ca/, ignored by git); `init` also puts the root in the
 * dev trust folder (CA_DEV_TRUST_DIR) that the server adds to the vendor's roots while DEV_TOOLS is on.
 */
import { mkdir, readFile, writeFile, access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { issueCertificate, type NameSpec } from '#src/ca/pki/certificate-builder.js';
import { generateKey, KEY_ALGORITHMS, loadPrivateKey } from '#src/ca/pki/keys.js';
import { readCertificates, type KeyAlgorithm, type KeyUsageName } from '#src/ca/pki/x509.js';
import { devTrustFolder } from '#src/ca/trust-store.js';
import { ENV_SCHEMA } from '#src/config/env.schema.js';
import { isValidUscc } from '#src/identity/checks/uscc.js';
import { compileProfileDir, displayPath } from '#src/profiles/profile-files.js';

export const CA_USAGE = `用法：npm run province -- ca <子命令>
  init [--name <名称>] [--algorithm sm2|ecdsa|rsa] [--intermediate] [--province hunan] [--vendor <CA 厂商>] [--dir .data/ca] [--no-trust]
                      生成测试 CA（根证书，可选中级证书）于 <dir>/<名称>/；并把根证书写入开发信任目录
                      CA_DEV_TRUST_DIR（默认 .data/ca/trusted）/<省份>/<厂商>/，开发工具开启时服务即信任它
  issue --ca <名称> --out <文件名> [--algorithm sm2|ecdsa|rsa] [--unit <单位名称>] [--uscc <统一社会信用代码>]
        [--days 365] [--usage sign|encrypt] [--dir .data/ca]
                      用该 CA 签发客户端证书：<dir>/<名称>/<文件名>.pem（证书在前，中级证书在后）与 .key（私钥）
  sign --key <私钥文件> --challenge <挑战码>
                      代替 USB Key 驱动：用私钥对挑战码的 UTF-8 字节签名，输出 Base64 DER 签名
  show <证书.pem>      显示证书序列号（网厅 CA 绑定申请所需）、主体、签发者、有效期与算法`;

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : text + '\n');
const err = (text: string) => process.stderr.write(text.endsWith('\n') ? text : text + '\n');
const DAY = 86_400_000;

class CaUsageError extends Error {}

export async function caCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      dir: { type: 'string', default: '.data/ca' },
      name: { type: 'string', default: 'dev-ca' },
      algorithm: { type: 'string', default: 'sm2' },
      intermediate: { type: 'boolean', default: false },
      province: { type: 'string', default: 'hunan' },
      vendor: { type: 'string' },
      'no-trust': { type: 'boolean', default: false },
      ca: { type: 'string' },
      out: { type: 'string' },
      unit: { type: 'string' },
      uscc: { type: 'string' },
      days: { type: 'string', default: '365' },
      usage: { type: 'string', default: 'sign' },
      key: { type: 'string' },
      challenge: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [action, ...rest] = positionals;
  if (values.help || !action) {
    out(CA_USAGE);
    return action || values.help ? 0 : 2;
  }
  try {
    switch (action) {
      case 'init':
        return await init(values);
      case 'issue':
        return await issue(values);
      case 'sign':
        return await signChallenge(values.key, values.challenge);
      case 'show':
        return await show(rest[0]);
      default:
        throw new CaUsageError(`未知的 ca 子命令“${action}”\n\n${CA_USAGE}`);
    }
  } catch (error) {
    if (error instanceof CaUsageError) {
      err(error.message);
      return 2;
    }
    err(`失败：${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function algorithmOf(value: string): KeyAlgorithm {
  const found = KEY_ALGORITHMS.find((a) => a === value);
  if (!found) throw new CaUsageError(`--algorithm 只能为 sm2、ecdsa 或 rsa，收到“${value}”`);
  return found;
}

function safeName(value: string | undefined, option: string): string {
  if (!value || !/^[\w.-]{1,64}$/.test(value) || value.startsWith('.')) throw new CaUsageError(`${option} 只能由字母、数字、-、_、. 组成`);
  return value;
}

const exists = (path: string) => access(path).then(() => true, () => false);

async function init(values: { dir: string; name: string; algorithm: string; intermediate: boolean; province: string; vendor?: string | undefined; 'no-trust': boolean }): Promise<number> {
  const algorithm = algorithmOf(values.algorithm);
  const name = safeName(values.name, '--name');
  const folder = join(values.dir, name);
  if (name === 'trusted') throw new CaUsageError('--name 不能为 trusted（开发信任目录默认在 .data/ca/trusted）');
  if (await exists(join(folder, 'root.pem'))) throw new CaUsageError(`${displayPath(folder)} 已有 CA，未覆盖（换一个 --name，或删除该目录）`);
  const vendor = values['no-trust'] ? undefined : await vendorOf(values.province, values.vendor);
  const now = Date.now();
  const rootKey = generateKey(algorithm);
  const subject = (cn: string): NameSpec => [['C', 'CN'], ['O', '省级平台开发测试CA'], ['CN', cn]];
  const root = issueCertificate({ subject: subject(`${name} 根证书（仅供开发测试）`), key: rootKey, notBefore: new Date(now - DAY), notAfter: new Date(now + 3650 * DAY), ca: {} });
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'root.pem'), root.pem);
  await writeFile(join(folder, 'root.key'), rootKey.privatePem, { mode: 0o600 });
  const written = [`${displayPath(join(folder, 'root.pem'))}（根证书）`];
  if (values.intermediate) {
    const key = generateKey(algorithm);
    const intermediate = issueCertificate({ subject: subject(`${name} 中级证书`), key, issuer: { certificate: root.parsed, key: rootKey }, notBefore: new Date(now - DAY), notAfter: new Date(now + 1825 * DAY), ca: { pathLen: 0 } });
    await writeFile(join(folder, 'intermediate.pem'), intermediate.pem);
    await writeFile(join(folder, 'intermediate.key'), key.privatePem, { mode: 0o600 });
    written.push(`${displayPath(join(folder, 'intermediate.pem'))}（中级证书）`);
  }
  out(`已生成 ${algorithm.toUpperCase()} 测试 CA：${written.join('、')}`);
  if (vendor) {
    const trustDir = process.env.CA_DEV_TRUST_DIR?.trim() ? process.env.CA_DEV_TRUST_DIR.trim() : ENV_SCHEMA.properties.CA_DEV_TRUST_DIR.default;
    const trustFolder = devTrustFolder(trustDir, values.province, vendor);
    await mkdir(trustFolder, { recursive: true });
    await writeFile(join(trustFolder, `${name}.pem`), root.pem);
    out(`根证书已写入开发信任目录 ${displayPath(join(trustFolder, `${name}.pem`))}：开发工具开启时（npm start 的默认），${values.province} 的 ${vendor} 信任它。`);
  }
  out(`下一步：npm run province -- ca issue --ca ${name} --out unit1 --uscc <单位的统一社会信用代码> --unit <单位名称>`);
  return 0;
}

/** The vendor the root is trusted for: the one named, or the province's only/first one. */
async function vendorOf(province: string, named: string | undefined): Promise<string> {
  const { profiles } = await compileProfileDir(process.env.PROFILES_DIR ?? 'provinces');
  const profile = profiles.find((p) => p.profile.id === province)?.profile;
  if (!profile) throw new CaUsageError(`未找到省份“${province}”`);
  const vendors = profile.caVendors.map((v) => v.id);
  if (named && !vendors.includes(named)) throw new CaUsageError(`${province} 没有 CA 厂商“${named}”（有：${vendors.join('、') || '无'}）`);
  const vendor = named ?? vendors[0];
  if (!vendor) throw new CaUsageError(`${province} 未配置 CA 厂商（caVendors），无法信任该 CA；可加 --no-trust 只生成文件`);
  return vendor;
}

async function issue(values: { dir: string; ca?: string | undefined; out?: string | undefined; algorithm: string; unit?: string | undefined; uscc?: string | undefined; days: string; usage: string }): Promise<number> {
  const caName = safeName(values.ca, '--ca');
  const outName = safeName(values.out, '--out');
  const algorithm = algorithmOf(values.algorithm);
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new CaUsageError('--days 须为 1 到 3650 的整数');
  if (values.usage !== 'sign' && values.usage !== 'encrypt') throw new CaUsageError('--usage 只能为 sign（签名证书）或 encrypt（加密证书）');
  const uscc = values.uscc?.trim().toUpperCase();
  if (uscc && !isValidUscc(uscc)) throw new CaUsageError(`“${uscc}”不是有效的统一社会信用代码`);
  const folder = join(values.dir, caName);
  if (!(await exists(join(folder, 'root.pem')))) throw new CaUsageError(`${displayPath(folder)} 下没有 CA：先运行 npm run province -- ca init --name ${caName}`);
  const hasIntermediate = await exists(join(folder, 'intermediate.pem'));
  const issuerFile = hasIntermediate ? 'intermediate' : 'root';
  const issuerCertificate = readCertificates(await readFile(join(folder, `${issuerFile}.pem`), 'utf8'))[0];
  if (!issuerCertificate) throw new Error(`${issuerFile}.pem 无法读取`);
  const issuerKey = loadPrivateKey(await readFile(join(folder, `${issuerFile}.key`), 'utf8'));
  const unit = values.unit?.trim() ? values.unit.trim() : '测试单位';
  const key = generateKey(algorithm);
  const usage: KeyUsageName[] = values.usage === 'sign' ? ['digitalSignature', 'nonRepudiation'] : ['keyEncipherment', 'dataEncipherment'];
  const now = Date.now();
  const certificate = issueCertificate({
    subject: [['C', 'CN'], ['O', unit], ...(uscc ? ([['serialNumber', uscc]] as const) : []), ['CN', unit]],
    key,
    issuer: { certificate: issuerCertificate, key: issuerKey },
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + days * DAY),
    keyUsage: usage,
  });
  const chain = hasIntermediate ? await readFile(join(folder, 'intermediate.pem'), 'utf8') : '';
  const certPath = join(folder, `${outName}.pem`);
  const keyPath = join(folder, `${outName}.key`);
  await writeFile(certPath, certificate.pem + chain);
  await writeFile(keyPath, key.privatePem, { mode: 0o600 });
  out(`已签发 ${algorithm.toUpperCase()} ${values.usage === 'sign' ? '签名' : '加密'}证书：${displayPath(certPath)}（私钥 ${displayPath(keyPath)}）`);
  out(`  序列号：${certificate.parsed.serial}`);
  out(`  主体：${certificate.parsed.subject.text}`);
  out(`登录时：获取挑战码后运行 npm run province -- ca sign --key ${displayPath(keyPath)} --challenge <挑战码>，把证书文件内容与签名粘贴到 CA 登录页。`);
  return 0;
}

async function signChallenge(keyFile: string | undefined, challenge: string | undefined): Promise<number> {
  if (!keyFile || challenge === undefined || challenge === '') throw new CaUsageError('sign 需要 --key <私钥文件> --challenge <挑战码>');
  const key = loadPrivateKey(await readFile(resolve(keyFile), 'utf8'));
  out(key.sign(Buffer.from(challenge, 'utf8')).toString('base64'));
  return 0;
}

async function show(file: string | undefined): Promise<number> {
  if (!file) throw new CaUsageError('show 需要一个证书文件');
  const certificates = readCertificates(await readFile(resolve(file), 'utf8'));
  for (const [index, c] of certificates.entries()) {
    out(`${index === 0 ? '证书' : `链上第 ${index + 1} 张`}：`);
    out(`  序列号：${c.serial}`);
    out(`  主体：${c.subject.text}`);
    out(`  签发者：${c.issuer.text}`);
    out(`  有效期：${c.notBefore.toISOString()} 至 ${c.notAfter.toISOString()}`);
    out(`  算法：${c.publicKey.algorithm.toUpperCase()}${c.keyUsage ? `，密钥用法：${[...c.keyUsage].join('、')}` : ''}`);
  }
  return 0;
}
