import type { Config } from 'tailwindcss'

export default {
  content: ['./app/**/*.{ts,tsx}'],
  theme: {
    extend: {
      colors: {
        // One accent colour (a calm government blue) and its shades.
        accent: { 50: '#eef5ff', 100: '#d9e8ff', 600: '#1d5fbf', 700: '#174c99', 800: '#123b77' },
      },
      fontFamily: {
        sans: ['"PingFang SC"', '"Microsoft YaHei"', '"Noto Sans CJK SC"', '"WenQuanYi Micro Hei"', 'sans-serif'],
      },
    },
  },
  plugins: [],
} satisfies Config
