// Passwords attackers try first: frequent entries of public breach statistics, plus patterns
// common among Chinese users (pinyin, dates, 520/1314 love numbers, keyboard walks). Lower case.
const LIST = `
123456 123456789 12345678 1234567890 12345 1234567 111111 000000 123123 666666 888888 112233 121212
123321 654321 987654321 11111111 88888888 66666666 00000000 12341234 147258369 159357 1qaz2wsx
qwerty qwerty123 qwertyuiop asdfghjkl zxcvbnm 1q2w3e4r 1q2w3e4r5t qazwsx qazwsxedc abc123 abcd1234
a123456 a12345678 aa123456 abc123456 password password1 password123 passw0rd p@ssw0rd admin admin123
admin@123 administrator root123 test1234 welcome welcome1 letmein iloveyou iloveyou1 sunshine princess
football baseball dragon monkey master shadow superman michael trustno1 hello123 hello1234 qwe123
qweasdzxc woaini woaini1314 woaini520 5201314 520520 1314520 13145200 520131400 521521 7758521 woainima
wangyang zhang123 wang123456 li123456 liu123456 chen123456 zhanghao woshishui nihao123 nihaonihao
tiaojie tiaojie123 tiaojie2026 mediation mediation123 changeme changeme123 default 88889999 aaaaaaaa
asdf1234 asdfasdf zaq12wsx 1a2b3c4d 123qwe 123qweasd qwerasdf 1234qwer q1w2e3r4 a1b2c3d4 abcdefg
abcdefgh 12344321 11223344 123456abc 123456aa 123456789a 0123456789 9876543210 147258 258369 369258
`

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter(Boolean))
