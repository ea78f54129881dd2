// Reasons shown for rejected rows, in Chinese (the users read them). Each says what was wrong; the value is shown
// except for personal data.
export const MSG = {
  required: '必填项为空',
  date: '日期无法识别（可用格式：2024-03-05、2024/3/5、2024.3.5、20240305、2024年3月5日）：',
  timestamp: '时间无法识别（应为日期后接 时:分 或 时:分:秒，北京时间）：',
  bool: '是/否值无法识别（可用：是/否、true/false、1/0、Y/N）：',
  district: '区划无法识别（应为北京市 16 个区的代码或名称）：',
  districtRetired:
    '区划代码已撤销（110103 原崇文区、110104 原宣武区，请改用 110101 东城区或 110102 西城区）：',
  enum: '取值不在允许范围内：',
  charge: '罪名无法识别（应为现行罪名或历史罪名）：',
  count: '应为非负整数：',
  closedOnRequired: '案件状态不是「侦查中」时，结案日期必填',
  decisionStage: '决定与环节不符：',
  reasonRequired: '不批准逮捕、不起诉的决定理由必填',
  reasonMismatch: '决定理由与决定不符：',
  duplicate: '同一文件内编号重复且内容不同，已保留第 ',
  duplicateTail: ' 行的记录',
  missingRef: '引用的记录不存在（请先导入，或在同一命令中一并导入被引用的表）：',
  wrongCase: '嫌疑人不属于该案件：',
} as const;
