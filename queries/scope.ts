/** The 16 Beijing districts (GB/T 2260): the CLI's full scope. The server binds the session's list instead. */
export const ALL_DISTRICTS = [
  '110101',
  '110102',
  '110105',
  '110106',
  '110107',
  '110108',
  '110109',
  '110111',
  '110112',
  '110113',
  '110114',
  '110115',
  '110116',
  '110117',
  '110118',
  '110119',
] as const;
