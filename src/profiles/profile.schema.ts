/**
 * The province profile schema: the single source for Ajv validation, the TypeScript types
 * (`Static<>`), the published `provinces/profile.schema.json`, and the Chinese row labels of the
 * comparison view. Every property carries a Chinese `title` and a `description`; a unit test walks
 * the schema to keep it that way.
 */
import { Type, type Static, type TSchema, type TProperties, type TObject } from '@sinclair/typebox';

interface Doc {
  title: string;
  description: string;
}

/** Every object is closed: an unknown key in a profile is an error, not silently ignored. */
function obj<T extends TProperties>(doc: Doc, properties: T): TObject<T> {
  return Type.Object(properties, { ...doc, additionalProperties: false });
}

function str(doc: Doc, extra: Record<string, unknown> = {}) {
  return Type.String({ minLength: 1, ...doc, ...extra });
}

function bool(doc: Doc) {
  return Type.Boolean(doc);
}

function int(doc: Doc, extra: Record<string, unknown> = {}) {
  return Type.Integer({ minimum: 0, ...doc, ...extra });
}

function list<T extends TSchema>(doc: Doc, items: T, extra: Record<string, unknown> = {}) {
  return Type.Array(items, { ...doc, ...extra });
}

/** A closed set of strings, published as a plain `enum` so editors offer the choices. */
function literals<const V extends readonly string[]>(doc: Doc, values: V) {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values], ...doc });
}

const RULE_ID_PATTERN = '^[A-Z]{1,4}-[0-9]+$';
const ITEM_ID_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';

/** Rule ids of shared/seeds/RULES.md (e.g. HN-10) that this part of the profile transcribes. */
export const Source = Type.Array(Type.String({ pattern: RULE_ID_PATTERN, title: '规则编号', description: 'RULES.md 中的规则编号，如 HN-10' }), {
  title: '依据',
  description: '本项配置所依据的操作手册规则编号（见 RULES.md），可追溯到原手册',
  minItems: 1,
});

const source = Type.Optional(Source);

function itemId(what: string) {
  return Type.String({
    pattern: ITEM_ID_PATTERN,
    title: '标识',
    description: `${what}的稳定标识（小写字母、数字、连字符）；合并国家基线与省份配置时按此键对齐`,
  });
}

function menuPath(title = '菜单路径', description = '用户在界面上依次点击的菜单或按钮名称') {
  return list({ title, description }, Type.String({ minLength: 1, title: '菜单项', description: '界面上的菜单或按钮名称' }));
}

function link(title = '链接', description = '一个对外网址及其说明') {
  return obj(
  { title, description },
  {
    title: str({ title: '名称', description: '链接在页面上显示的名称' }),
    url: str({ title: '网址', description: '完整的 http(s) 网址' }, { format: 'uri', pattern: '^https?://' }),
    note: Type.Optional(str({ title: '说明', description: '补充说明，例如适用对象' })),
    source,
  },
  );
}

/** A rule that a province either applies or not, with the wording users see and its source. */
function toggle(title: string, description: string) {
  return obj(
    { title, description },
    {
      enabled: bool({ title: '适用', description: '本省是否适用此规则' }),
      note: Type.Optional(str({ title: '说明', description: '面向用户的规则说明' })),
      source,
    },
  );
}

export const ACCOUNT_KINDS = ['unit', 'operator', 'sub-account', 'distributor'] as const;
const AccountKind = literals({ title: '账号类型', description: 'unit 单位账号；operator 经办人账号；sub-account 招采机构子账号；distributor 配送企业招采账号' }, ACCOUNT_KINDS);

export const LOGIN_METHOD_IDS = ['password', 'credit-code', 'ca', 'qr'] as const;

const LoginMethod = obj(
  { title: '登录方式', description: '单位可用的一种登录方式' },
  {
    id: literals({ title: '方式', description: 'password 账号密码+图形验证码；credit-code 统一社会信用代码登录；ca 数字证书；qr 扫码' }, LOGIN_METHOD_IDS),
    enabled: bool({ title: '启用', description: '本省是否提供此登录方式' }),
    label: str({ title: '名称', description: '登录页上显示的名称' }),
    accounts: list({ title: '适用账号', description: '可用此方式登录的账号类型' }, AccountKind, { minItems: 1, uniqueItems: true }),
    graphicCaptcha: bool({ title: '图形验证码', description: '登录时是否需要图形验证码' }),
    caVendor: Type.Optional(str({ title: 'CA 厂商', description: 'CA 登录所用的 CA 厂商标识，须在 caVendors 中定义' })),
    note: Type.Optional(str({ title: '说明', description: '面向用户的补充说明' })),
    source,
  },
);

const Login = obj(
  { title: '登录', description: '单位与经办人登录网上服务大厅的方式和规则' },
  {
    entryLabel: str({ title: '登录入口', description: '首页上登录按钮的名称，如 单位登录、机构登录' }),
    loginTypeLabel: str({ title: '登录类型', description: '登录后显示的登录类型，如 单位用户' }),
    methods: list({ title: '登录方式', description: '本省提供的登录方式' }, LoginMethod, { minItems: 1 }),
    chooseUnitAfterLogin: toggle('登录后选择单位', '登录成功后须选择要办理业务的单位（AH-3、NM-4）'),
    institutionChoiceFinal: toggle('首次登录选定医疗机构', '一个信用代码对应多家医疗机构时，首次登录选定且不可更改（NM-5）'),
    mainAccountForCertification: toggle('须用主账号认证', '机构须用主账号（而非经办人）登录，才能在招采系统认证（HN-9）'),
    source,
  },
);

const FIELD_FORMATS = ['uscc', 'cn-id-number', 'cn-mobile', 'date', 'password', 'email', 'text'] as const;

const FormField = obj(
  { title: '表单字段', description: '注册或反馈表单中的一个字段' },
  {
    id: Type.String({ pattern: '^[a-z][a-zA-Z0-9]*$', title: '字段键', description: '英文 camelCase 键名，API 请求体使用此键' }),
    label: str({ title: '名称', description: '字段的中文名称' }),
    format: literals({ title: '格式', description: '字段格式：uscc 统一社会信用代码、cn-id-number 身份证号、cn-mobile 手机号、date 日期、password 密码、email 邮箱、text 文本' }, FIELD_FORMATS),
    required: bool({ title: '必填', description: '是否为必填项（界面上带 * 号）' }),
    options: Type.Optional(
      list(
        { title: '选项', description: '下拉选择字段的可选值' },
        obj({ title: '选项', description: '一个可选值' }, { value: str({ title: '值', description: '提交的值' }), label: str({ title: '名称', description: '显示的名称' }) }),
        { minItems: 1 },
      ),
    ),
    maxLength: Type.Optional(int({ title: '最大长度', description: '允许的最大字符数' }, { minimum: 1 })),
    source,
  },
);

const PasswordPolicy = obj(
  { title: '密码规则', description: '注册与修改密码时的密码强度规则' },
  {
    minLength: int({ title: '最短长度', description: '密码最少字符数' }, { minimum: 6 }),
    maxLength: int({ title: '最长长度', description: '密码最多字符数' }, { minimum: 6 }),
    requireDigit: bool({ title: '须含数字', description: '是否必须包含数字' }),
    requireLetter: bool({ title: '须含字母', description: '是否必须包含大写或小写字母' }),
    requireSpecial: bool({ title: '须含特殊字符', description: '是否必须包含特殊字符' }),
    hint: str({ title: '提示语', description: '密码输入框的提示语' }),
    source,
  },
);

const Step = obj(
  { title: '步骤', description: '流程中的一个步骤' },
  { id: itemId('步骤'), title: str({ title: '名称', description: '步骤名称' }), source },
);

const Registration = obj(
  { title: '注册', description: '单位注册的步骤、字段与规则' },
  {
    enabled: bool({ title: '开放注册', description: '网上服务大厅是否提供单位注册' }),
    entryLabel: str({ title: '注册入口', description: '注册按钮的名称，如 立即注册' }),
    entryPath: menuPath(),
    steps: list({ title: '注册步骤', description: '注册向导的步骤' }, Step, { minItems: 1 }),
    unitFields: list({ title: '单位信息字段', description: '单位信息录入步骤的字段' }, FormField, { minItems: 1 }),
    operatorFields: list({ title: '经办人信息字段', description: '经办人信息步骤的字段' }, FormField, { minItems: 1 }),
    smsCode: toggle('短信验证码', '注册时是否需要短信验证码'),
    graphicCaptcha: toggle('图形验证码', '注册时是否需要图形验证码'),
    passwordPolicy: PasswordPolicy,
    onePerUnit: toggle('每单位限注册一次', '一个单位（统一社会信用代码）只能注册一次'),
    duplicateMessages: list({ title: '重复注册提示', description: '单位已注册时系统给出的提示语' }, str({ title: '提示语', description: '提示语原文' })),
    requireNationalCode: toggle('须在国家编码库中', '单位须已在国家医保信息业务编码标准数据库中，方可注册和认证（N-4）'),
    accountsCreated: list(
      { title: '注册生成的账号', description: '一次注册生成的账号' },
      obj({ title: '账号', description: '注册时生成的一个账号' }, { id: itemId('账号'), label: str({ title: '名称', description: '账号名称，如 管理员、经办员' }), kind: AccountKind, source }),
      { minItems: 1 },
    ),
    unitAccountChosenByUnit: toggle('单位账号自行设置', '单位账号（登录名）由单位注册时自行设置（JL-3）'),
    reuseExistingOperatorPassword: toggle('沿用经办人原密码', '经办人已在其他单位注册过时，注册须输入其原密码（JL-3、JL-11）'),
    existingAccountElsewhere: toggle('已有账号直接登录', '单位已在其他省份有单位账号的，不再注册，直接用已有账号登录本省（XZ-3）'),
    source,
  },
);

const RoleType = obj(
  { title: '角色类型', description: '招采角色类型（N-3）' },
  {
    id: itemId('角色类型'),
    name: str({ title: '名称', description: '角色类型在本省界面上的名称' }),
    offered: bool({ title: '本省提供', description: '本省注册/认证时是否提供此角色类型' }),
    registersAt: literals({ title: '注册位置', description: 'hall 在网上服务大厅注册；procurement 在招采子系统注册' }, ['hall', 'procurement'] as const),
    certificationLabel: Type.Optional(str({ title: '认证时选择', description: '角色认证时选择的角色名称' })),
    source,
  },
);

const Certification = obj(
  { title: '角色认证', description: '首次进入单位网厅时的角色认证' },
  {
    requiredOnFirstEntry: bool({ title: '首次进入须认证', description: '首次进入单位网厅或招采服务时是否必须先做角色认证' }),
    path: menuPath(),
    certifiers: list({ title: '须认证的账号', description: '需要进行角色认证的账号类型' }, AccountKind, { minItems: 1, uniqueItems: true }),
    note: Type.Optional(str({ title: '说明', description: '面向用户的补充说明' })),
    source,
  },
);

const VERIFICATIONS = ['id-number', 'mobile', 'graphic-captcha', 'sms-code'] as const;

const Operators = obj(
  { title: '经办人', description: '经办人的新增、解绑、授权等规则' },
  {
    addPath: menuPath(),
    existingOperatorChecks: list({ title: '添加已注册经办人须提供', description: '添加已注册经办人时需要输入的信息' }, literals({ title: '校验项', description: 'id-number 证件号码；mobile 手机号；graphic-captcha 图形验证码；sms-code 短信验证码' }, VERIFICATIONS), { minItems: 1, uniqueItems: true }),
    registerInline: toggle('新增时直接注册经办人', '新增未注册的经办人时填写其信息即同时注册（XZ-8）'),
    loginAccount: literals({ title: '登录账号', description: '经办人登录使用的账号：mobile 手机号；id-number 证件号码' }, ['mobile', 'id-number'] as const),
    permanent: toggle('经办人账号永久保存', '经办人账号永久保存在国家系统，不能注销（HN-5、JL-11）'),
    unbind: toggle('解除绑定', '单位可解除与经办人的绑定'),
    passwordResetByUnitAccount: toggle('单位账号重置经办人密码', '经办人密码由单位账号重置'),
    procurementAuthorisation: toggle('招采授权', '为经办人做招采授权；授权后不能再办理本单位医保业务（JL-9）'),
    firstProcurementLoginBeforeRoles: toggle('先登录招采再分配角色', '经办人须先登录一次招采系统，单位账号才能为其分配角色（XZ-11）'),
    rolesOnlyAfterApproval: toggle('审核通过后才能分配权限', '单位账号审核通过且已添加经办人后才能分配权限（XZ-10）'),
    concurrentWork: toggle('多人同时操作', '多个经办人可同时办理业务（NM-6）'),
    source,
  },
);

const UnitAccount = obj(
  { title: '单位账号', description: '单位账号（主账号）能做与不能做的事' },
  {
    canTransact: bool({ title: '可办理业务', description: '单位账号能否直接办理业务（否则只有经办人可以）' }),
    canDeregisterHallAccount: toggle('可注销网厅账号', '单位账号可注销网厅账号，医保账户保留（JL-8）'),
    lookupByCreditCode: toggle('按信用代码查询单位账号', '登录页可按统一社会信用代码查询单位账号（JL-6）'),
    holdsProcurementPermissionsAfterRegistration: toggle('注册后仅单位账号有招采权限', '注册后只有单位账号拥有招采权限（N-6）'),
    coreDataMissing: obj(
      { title: '核心系统缺少单位基本数据', description: '医保核心系统没有该信用代码的单位基本数据时，单位管理显示的提示与处理办法（XZ-9）' },
      {
        enabled: bool({ title: '适用', description: '本省单位管理是否给出此提示' }),
        message: Type.Optional(str({ title: '提示', description: '单位管理中显示的提示原文' })),
        note: Type.Optional(str({ title: '处理办法', description: '面向用户的处理办法' })),
        source,
      },
    ),
    note: Type.Optional(str({ title: '说明', description: '面向用户的补充说明' })),
    source,
  },
);

const Recovery = obj(
  { title: '找回密码', description: '忘记密码时的找回方式' },
  {
    methods: list(
      { title: '找回方式', description: '可用的找回方式' },
      obj({ title: '找回方式', description: '一种找回方式' }, { id: itemId('找回方式'), label: str({ title: '名称', description: '找回方式的名称' }), note: Type.Optional(str({ title: '说明', description: '补充说明' })), source }),
    ),
    unitAccountOnly: toggle('只能找回单位账号密码', '忘记密码只能找回单位账号的密码，经办人密码由单位账号重置（JL-7）'),
    source,
  },
);

const Distributors = obj(
  { title: '配送企业', description: '配送企业的注册与登录' },
  {
    reviewRequired: bool({ title: '须审核', description: '注册后是否需要管理单位审核' }),
    loginMethods: list({ title: '登录方式', description: '配送企业登录招采子系统的方式' }, literals({ title: '方式', description: '登录方式标识' }, LOGIN_METHOD_IDS), { uniqueItems: true }),
    note: Type.Optional(str({ title: '说明', description: '面向用户的补充说明' })),
    source,
  },
);

const Institutions = obj(
  { title: '分院与特殊机构', description: '分院、部队/荣军/监狱等特殊医疗机构的注册与登录' },
  {
    branchSameUscc: literals({ title: '分院同一信用代码', description: 'main-registers 只有主院注册，分院子账号由主院创建；each-registers 各自注册' }, ['main-registers', 'each-registers'] as const),
    branchSameUsccLogin: literals({ title: '同码分院登录位置', description: 'hall 通过公共服务登录；procurement-local 通过招采子系统自有登录页' }, ['hall', 'procurement-local'] as const),
    branchDifferentUscc: literals({ title: '分院不同信用代码', description: '主院和分院信用代码不一致时' }, ['main-registers', 'each-registers'] as const),
    special: list(
      { title: '特殊医疗机构', description: '无法通过公共服务登录的医疗机构' },
      obj(
        { title: '特殊机构', description: '一类特殊医疗机构' },
        {
          id: itemId('特殊机构'),
          name: str({ title: '名称', description: '机构类别名称' }),
          loginAt: literals({ title: '登录位置', description: 'hall 通过公共服务登录；procurement-local 通过招采子系统自有登录页' }, ['hall', 'procurement-local'] as const),
          source,
        },
      ),
    ),
    source,
  },
);

const Contact = obj(
  { title: '联系方式', description: '一个联系方式' },
  {
    id: itemId('联系方式'),
    kind: literals({ title: '类型', description: 'phone 电话；hotline 客服热线；qq 企业 QQ；email 邮箱' }, ['phone', 'hotline', 'qq', 'email'] as const),
    value: str({ title: '号码或地址', description: '电话号码、QQ 号或邮箱地址' }),
    label: str({ title: '名称', description: '联系方式的说明' }),
    source,
  },
);

const CaVendor = obj(
  { title: 'CA 厂商', description: '提供数字证书的 CA 厂商' },
  {
    id: itemId('CA 厂商'),
    name: str({ title: '名称', description: 'CA 厂商名称' }),
    contacts: list({ title: '联系方式', description: 'CA 厂商的客服联系方式' }, Contact),
    driverUrl: Type.Optional(str({ title: '驱动下载', description: '证书驱动下载网址' }, { pattern: '^https?://' })),
    trustedRootsPem: list({ title: '受信任根证书', description: 'PEM 格式的根证书，用于校验证书链' }, Type.String({ pattern: '-----BEGIN CERTIFICATE-----', title: '根证书', description: 'PEM 格式证书' })),
    hallBinding: Type.Optional(
      obj(
        { title: '网厅证书绑定', description: '在网上服务大厅绑定证书的方式' },
        {
          steps: list({ title: '步骤', description: '绑定步骤' }, str({ title: '步骤', description: '一个步骤的说明' }), { minItems: 1 }),
          submitFields: list({ title: '提交信息', description: '需要提交给工作人员的信息' }, str({ title: '信息项', description: '一项信息' })),
          submitVia: str({ title: '提交渠道', description: '提交绑定信息的渠道' }),
          slaHours: int({ title: '生效时限（小时）', description: '提交后多少小时内生效' }),
          slaWorkingDaysOnly: bool({ title: '按工作日计', description: '时限是否按工作日计算' }),
          source,
        },
      ),
    ),
    procurementBinding: Type.Optional(
      obj(
        { title: '招采证书绑定', description: '在招采子系统绑定和解绑证书' },
        {
          methods: list(
            { title: '绑定方式', description: '可用的绑定方式' },
            obj({ title: '绑定方式', description: '一种绑定方式' }, { id: itemId('绑定方式'), label: str({ title: '名称', description: '绑定方式名称' }), steps: menuPath(), source }),
            { minItems: 1 },
          ),
          unbindPath: menuPath(),
          pinLogin: bool({ title: 'PIN 码登录', description: '绑定后是否用证书 PIN 码登录' }),
          mainAccountForSubAccounts: bool({ title: '主账号可为子账号绑定', description: '主账号能否为子账号绑定/解绑' }),
          subAccountForSelf: bool({ title: '子账号可自行绑定', description: '子账号能否为自己绑定/解绑' }),
          source,
        },
      ),
    ),
    source,
  },
);

const MenuAction = obj({ title: '按钮', description: '菜单中的一个操作按钮（权限点）' }, { id: itemId('按钮'), title: str({ title: '名称', description: '按钮名称，如 查询、新增、修改、删除、分配' }), source });

const MenuItem = obj(
  { title: '菜单', description: '招采子系统中的一个菜单' },
  {
    id: itemId('菜单'),
    title: str({ title: '名称', description: '菜单名称' }),
    roleTypes: Type.Optional(list({ title: '适用角色类型', description: '可见此菜单的角色类型；省略则全部可见' }, str({ title: '角色类型', description: '角色类型标识' }), { uniqueItems: true })),
    actions: list({ title: '按钮', description: '菜单中的操作按钮，角色按按钮授权（菜单 → 按钮，如 RuoYi）' }, MenuAction, { minItems: 1 }),
    transacts: Type.Optional(bool({ title: '办理业务', description: '属于业务办理：单位账号不能办理业务的省份（JL-8）由经办人办理' })),
    source,
  },
);

const Procurement = obj(
  { title: '招采子系统', description: '从网厅进入招采子系统，以及招采的菜单、角色与账号' },
  {
    entryPath: menuPath(),
    handoffTicketSeconds: int({ title: '跳转票据有效期（秒）', description: '网厅跳转到招采子系统的一次性票据有效秒数' }, { minimum: 5, maximum: 600 }),
    menus: list(
      { title: '菜单', description: '招采子系统的菜单（模块 → 菜单）' },
      obj(
        { title: '模块', description: '招采子系统的一个模块' },
        { id: itemId('模块'), title: str({ title: '名称', description: '模块名称' }), items: list({ title: '菜单', description: '模块下的菜单' }, MenuItem, { minItems: 1 }), source },
      ),
      { minItems: 1 },
    ),
    defaultRoles: list(
      { title: '默认角色', description: '注册后默认存在的招采角色' },
      obj(
        { title: '角色', description: '一个招采角色' },
        {
          id: itemId('角色'),
          name: str({ title: '名称', description: '角色名称' }),
          holder: AccountKind,
          menus: list({ title: '菜单权限', description: '此角色拥有的菜单标识' }, str({ title: '菜单', description: '菜单标识' }), { uniqueItems: true }),
          source,
        },
      ),
    ),
    roleAssignmentTabs: list({ title: '分配账号页签', description: '分配账号页面的页签' }, str({ title: '页签', description: '页签名称' })),
    accountActions: list({ title: '账号管理操作', description: '账号管理中可做的操作' }, str({ title: '操作', description: '操作名称' })),
    legacyPlatform: Type.Optional(
      obj(
        { title: '原平台', description: '新招采子系统上线前本省使用的药械采购平台（JL-1）' },
        { name: str({ title: '名称', description: '原平台名称' }), note: Type.Optional(str({ title: '说明', description: '面向用户的补充说明' })), source },
      ),
    ),
    subAccounts: toggle('机构子账号', '账号管理中可添加机构子账号（JL-15、AH-6）'),
    productMatching: toggle('挂网产品对码', '生产企业可在招采系统做挂网产品对码（JL-16）'),
    source,
  },
);

const QqGroup = obj(
  { title: 'QQ 群', description: '按产品类别与角色划分的答疑 QQ 群' },
  {
    id: itemId('QQ 群'),
    name: str({ title: '名称', description: 'QQ 群名称' }),
    number: Type.String({ pattern: '^[1-9][0-9]{4,11}$', title: '群号', description: 'QQ 群号' }),
    category: str({ title: '产品类别', description: '产品类别标识，须在 productCategories 中定义' }),
    roleType: str({ title: '角色类型', description: '角色类型标识，须在 roleTypes 中定义' }),
    source,
  },
);

const Support = obj(
  { title: '咨询与支持', description: 'QQ 群、电话、邮箱' },
  {
    qqGroups: list({ title: 'QQ 群', description: '答疑 QQ 群' }, QqGroup),
    phones: list(
      { title: '电话', description: '客服电话及用途' },
      obj(
        { title: '电话', description: '一个客服电话' },
        {
          id: itemId('电话'),
          number: Type.String({ pattern: '^[0-9-]{5,20}$', title: '号码', description: '电话号码' }),
          purpose: str({ title: '用途', description: '此电话受理的问题' }),
          contactName: Type.Optional(str({ title: '联系人', description: '联系人称呼' })),
          source,
        },
      ),
    ),
    emails: list(
      { title: '邮箱', description: '反馈邮箱' },
      obj(
        { title: '邮箱', description: '一个反馈邮箱' },
        { id: itemId('邮箱'), address: str({ title: '地址', description: '邮箱地址' }, { format: 'email' }), purpose: str({ title: '用途', description: '此邮箱受理的问题' }), source },
      ),
    ),
    source,
  },
);

const Faq = obj(
  { title: '常见问题', description: '一个常见问题及解答' },
  {
    id: itemId('常见问题'),
    question: str({ title: '问题', description: '用户看到的提示或提出的问题' }),
    answer: str({ title: '解答', description: '处理方法' }),
    link: Type.Optional(link('相关链接', '解答中引用的网址')),
    source,
  },
);

const Feedback = obj(
  { title: '问题反馈', description: '问题反馈的渠道与格式' },
  {
    enabled: bool({ title: '开放反馈', description: '是否接受在线问题反馈' }),
    channels: list({ title: '反馈渠道', description: '可用的反馈渠道' }, literals({ title: '渠道', description: 'email 邮件；qq QQ 群；form 在线表单' }, ['email', 'qq', 'form'] as const), { uniqueItems: true }),
    fields: list(
      { title: '反馈字段', description: '反馈时需提供的信息' },
      obj(
        { title: '反馈字段', description: '一个反馈字段' },
        {
          id: Type.String({ pattern: '^[a-z][a-zA-Z0-9]*$', title: '字段键', description: '英文 camelCase 键名' }),
          label: str({ title: '名称', description: '字段中文名称' }),
          kind: literals({ title: '类型', description: 'text 单行文本；textarea 多行文本；image 截图；contact 联系方式' }, ['text', 'textarea', 'image', 'contact'] as const),
          required: bool({ title: '必填', description: '是否必填' }),
          source,
        },
      ),
    ),
    alternative: Type.Optional(str({ title: '其他渠道', description: '不开放反馈时告诉用户向哪里求助' })),
    source,
  },
);

const RateLimit = obj(
  { title: '频率限制', description: '在时间窗口内允许的最大次数' },
  { windowSeconds: int({ title: '时间窗口（秒）', description: '统计窗口长度' }, { minimum: 1 }), max: int({ title: '最多次数', description: '窗口内允许的次数' }, { minimum: 1 }) },
);

export const SMS_PURPOSES = ['registration', 'add-operator', 'password-reset', 'login'] as const;

const Sms = obj(
  { title: '短信', description: '短信签名、验证码与发送限制' },
  {
    signName: str({ title: '短信签名', description: '短信签名（不含【】），如 湖南医保' }),
    codeTtlSeconds: int({ title: '验证码有效期（秒）', description: '短信验证码有效秒数' }, { minimum: 60, maximum: 1800 }),
    maxVerifyAttempts: int({ title: '最多尝试次数', description: '验证码输错多少次后作废' }, { minimum: 1, maximum: 10 }),
    purposes: list({ title: '用途', description: '本省使用短信验证码的场景' }, literals({ title: '用途', description: 'registration 注册；add-operator 新增经办人；password-reset 找回密码；login 登录' }, SMS_PURPOSES), { uniqueItems: true }),
    perPhoneLimits: list({ title: '每手机号限制', description: '每个手机号的发送频率限制' }, RateLimit, { minItems: 1 }),
    perIpLimit: RateLimit,
    source,
  },
);

const Session = obj(
  { title: '会话', description: '登录会话的超时与设备策略' },
  {
    idleMinutes: int({ title: '空闲超时（分钟）', description: '无操作多少分钟后退出' }, { minimum: 1 }),
    absoluteHours: int({ title: '最长会话（小时）', description: '登录后最长多少小时必须重新登录' }, { minimum: 1 }),
    singleDevice: bool({ title: '单设备登录', description: '同一账号是否只允许一处登录' }),
    source,
  },
);

const Document = obj(
  { title: '来源文件', description: '本配置所转录的操作手册' },
  {
    id: itemId('来源文件'),
    title: str({ title: '标题', description: '手册标题' }),
    version: Type.Optional(str({ title: '版本', description: '手册版本' })),
    date: Type.Optional(Type.String({ pattern: '^[0-9]{4}(-[0-9]{2}){0,2}$', title: '日期', description: '手册日期（YYYY、YYYY-MM 或 YYYY-MM-DD）' })),
    publisher: str({ title: '发布方', description: '编写或发布手册的单位' }),
    docNumber: Type.Optional(str({ title: '文档编号', description: '手册的文档编号' })),
    file: Type.Optional(str({ title: '文件', description: 'shared/seeds 下的手册文件名' })),
    rulePrefix: Type.String({ pattern: '^[A-Z]{1,4}$', title: '规则前缀', description: 'RULES.md 中此手册规则编号的前缀，如 HN' }),
    source,
  },
);

const Urls = obj(
  { title: '网址', description: '本省及国家平台的相关网址' },
  {
    hall: link('网上服务大厅', '本省医保网上服务大厅首页'),
    unitHall: Type.Optional(link('单位网厅', '单位网厅入口')),
    procurement: Type.Optional(link('招采子系统', '本省药品和医用耗材招采管理子系统')),
    procurementLocalLogin: Type.Optional(link('招采子系统自有登录', '招采子系统自己的登录页（分院子账号、特殊医疗机构用）')),
    distributorRegistration: Type.Optional(link('配送企业注册', '配送企业在招采子系统注册的入口')),
    nationalService: link('国家医保服务平台', '国家医保服务平台网址（N-2）'),
    codeMaintenance: link('国家编码动态维护', '国家医保信息业务编码标准数据库动态维护平台（N-2、N-4）'),
    caDriver: Type.Optional(link('CA 驱动下载', '数字证书驱动下载')),
    helpVideo: Type.Optional(link('注册视频', '注册操作视频讲解（HN-6）')),
    helpGuide: Type.Optional(link('注册指南', '注册步骤文档下载（HN-6）')),
  },
);

const Branding = obj(
  { title: '品牌', description: '门户的标题、颜色与语言' },
  {
    portalTitle: str({ title: '门户标题', description: '门户页面标题，如 湖南省医疗保障局网上服务大厅' }),
    logoText: str({ title: '标志文字', description: '页头标志处显示的文字' }),
    primaryColor: Type.String({ pattern: '^#[0-9a-fA-F]{6}$', title: '主色', description: '主色，#RRGGBB' }),
    accentColor: Type.String({ pattern: '^#[0-9a-fA-F]{6}$', title: '强调色', description: '强调色，#RRGGBB' }),
    locale: literals({ title: '语言', description: '界面语言' }, ['zh-CN'] as const),
  },
);

export const ProvinceProfileSchema = obj(
  { title: '省份配置', description: '一个省份医保网上服务大厅与招采子系统的全部规则（国家基线合并省份配置后的结果）' },
  {
    $schema: Type.Optional(Type.String({ title: '模式', description: '编辑器使用的 JSON Schema 地址' })),
    id: Type.String({ pattern: ITEM_ID_PATTERN, title: '省份标识', description: '省份的英文标识，与文件名一致，如 hunan' }),
    code: Type.String({ pattern: '^[1-9][0-9]0000$', title: '行政区划代码', description: 'GB/T 2260 省级行政区划代码，如 430000' }),
    name: str({ title: '名称', description: '省份全称，如 湖南省' }),
    shortName: str({ title: '简称', description: '省份简称，如 湖南' }),
    authority: str({ title: '主管部门', description: '医疗保障主管部门，如 湖南省医疗保障局' }),
    hosts: list({ title: '域名', description: '直接解析到本省门户的主机名' }, Type.String({ pattern: '^[a-z0-9.-]+(:[0-9]+)?$', title: '主机名', description: '主机名，可带端口' }), { uniqueItems: true }),
    documents: list({ title: '来源文件', description: '本配置转录的操作手册' }, Document, { minItems: 1 }),
    branding: Branding,
    urls: Urls,
    login: Login,
    registration: Registration,
    roleTypes: list({ title: '角色类型', description: '招采角色类型（N-3）' }, RoleType, { minItems: 1 }),
    productCategories: list(
      { title: '产品类别', description: '招采产品类别' },
      obj({ title: '产品类别', description: '一个产品类别' }, { id: itemId('产品类别'), name: str({ title: '名称', description: '类别名称' }), source }),
      { minItems: 1 },
    ),
    certification: Certification,
    operators: Operators,
    unitAccount: UnitAccount,
    recovery: Recovery,
    distributors: Distributors,
    institutions: Institutions,
    caVendors: list({ title: 'CA 厂商', description: '本省认可的数字证书厂商' }, CaVendor),
    procurement: Procurement,
    support: Support,
    faq: list({ title: '常见问题', description: '常见问题及解答' }, Faq),
    feedback: Feedback,
    sms: Sms,
    session: Session,
    notices: list(
      { title: '公告', description: '门户首页的通知公告' },
      obj({ title: '公告', description: '一条公告' }, { id: itemId('公告'), title: str({ title: '标题', description: '公告标题' }), body: str({ title: '正文', description: '公告正文' }), source }),
    ),
  },
);

export type ProvinceProfile = Static<typeof ProvinceProfileSchema>;
export type LoginMethodId = (typeof LOGIN_METHOD_IDS)[number];
export type SmsPurpose = (typeof SMS_PURPOSES)[number];
