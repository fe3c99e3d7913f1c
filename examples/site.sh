#!/usr/bin/env bash
# Pages scraped from one site: learn the lines most of them share (its header, its footer), then
# remove them with the other repairs. The pages are read twice (a sample of 1,000 in a larger batch).
set -euo pipefail
mkdir -p site
for seed in seeds/00[0-4]_*.txt; do
  { echo "欢迎访问江南大学新闻网"; echo "返回新闻列表页面"; cat "$seed"; echo; echo "本页面由学校宣传部维护"; } \
    > "site/$(basename "$seed")"
done
cnclean fix site/ -o clean/ --learn-boilerplate 2>&1 | sed -n 1p
# cnclean: learned 3 boilerplate lines from 5 documents: 本页面由学校宣传部维护, 欢迎访问江南大学新闻网, 返回新闻列表页面
if grep -rq 返回新闻列表页面 clean/; then exit 1; fi
cnclean fix site/ -o clean/ --learn-boilerplate --boilerplate-share 0.8 -q   # a line must be in 80% of the pages
