#!/usr/bin/env bash
# The example claims entered with ordinary claimtrack commands: the 2024 reporting
# on OpenAI's Sora and China's AI industry, as a usage example. The bundled claims.db is
# built from examples/sora-china-2024.jsonl instead (make claims.db). Try it:
#   bash examples/add-commands.sh my-claims.db
set -euo pipefail
db="${1:-claims.db}"
ct() { "${CLAIMTRACK:-claimtrack}" --db "$db" "$@" >/dev/null; }

ct add "a barrel of cold water poured down China's head" \
  --speaker "Zhou Hongyi" --role "founder of 360 Security Technology" \
  --said "February 2024" --tag sora --tag china-ai \
  --context "Reacting to OpenAI's Sora text-to-video model, released in mid-February 2024."

ct add "If OpenAI has other 'secret weapons', the gap between China and the US in AI could be even wider than thought." \
  --kind claim --speaker "Zhou Hongyi" --role "chairman and CEO of 360 Security Technology" \
  --said "February 2024" --tag sora --tag china-ai \
  --source "https://www.tech360.tv/openai-sora-game-changer-chinese-entrepreneurs-amid-ai-advancements" \
  --outlet "tech360.tv" --title "OpenAI's Sora: A Game-Changer for Chinese Entrepreneurs Amid AI Advancements" \
  --context "Posted on Weibo; paraphrased by the outlet."

ct add "Sora's launch was a wake-up call." \
  --speaker "Zhou Hongyi" --role "founder of Qihoo 360" \
  --said "2024-02-23" --published "2024-02-25" --tag sora --tag china-ai \
  --source "https://aigc-chatgpt.com/2024/02/25/innovation/zhou-hongyi-close-the-gap-with-sora-in-1-2-years-by-prioritizing-ai-belief/" \
  --outlet "aigc-chatgpt.com" --title "Zhou Hongyi: Close the gap with Sora in 1-2 years by prioritizing AI belief" \
  --context "Interview at Qihoo 360's Beijing headquarters, on the eve of the Two Sessions."

ct speakers alias "Zhou Hongyi" "周鸿祎"

ct add "Sora is a 'Newton moment' for AI: it bridges the digital and physical worlds." \
  --kind claim --speaker "Yin Ye" --role "CEO of BGI Group" \
  --said "February 2024" --tag sora --tag china-ai \
  --source "https://www.tech360.tv/openai-sora-game-changer-chinese-entrepreneurs-amid-ai-advancements" \
  --outlet "tech360.tv"

ct add "supplying weapons for the ongoing AI war" \
  --speaker "Meta's chief scientist" \
  --said "December 2023" --tag nvidia --tag chips \
  --context "On NVIDIA, whose GPUs the large AI labs compete to buy." \
  --note "The report names the speaker only by role."

ct add "embrace the profound changes brought about by AI" \
  --speaker "State-owned Assets Supervision and Administration Commission" \
  --role "China's state asset regulator" \
  --said "Monday" --published "2024-02-21" --tag china-ai --tag state-firms \
  --source "https://www.devdiscourse.com/article/technology/2835523-china-calls-on-central-state-owned-firms-to-take-larger-role-in-ai-development" \
  --outlet "Reuters" --title "China calls on central state-owned firms to take larger role in AI development" \
  --context "Urging central state-owned enterprises, at a conference; the statement came out on Wednesday."

ct speakers alias "State-owned Assets Supervision" "SASAC"

ct add "US export rules bar NVIDIA's H100 and H200 chips from being sold to China." \
  --kind claim --speaker "Unnamed reporter" --role "news report, no named source" \
  --said "February 2024" --tag nvidia --tag chips --tag export-controls

ct add "NVIDIA made a cut-down RTX 4090D for the Chinese market." \
  --kind claim --speaker "Unnamed reporter" --role "news report, no named source" \
  --said "February 2024" --tag nvidia --tag chips --tag export-controls

# Later evidence, and what it showed.
ct evidence add 7 --stance context \
  --url "https://bis.gov/press-release/commerce-implements-new-export-controls-advanced-computing-and-semiconductor" \
  --outlet "US Bureau of Industry and Security" --published "2022-10-07" \
  --title "Commerce Implements New Export Controls on Advanced Computing and Semiconductor Manufacturing Items to the PRC" \
  --note "The first rules on advanced computing chips for China."
ct evidence add 7 --stance supports \
  --url "https://bis.gov/press-release/commerce-strengthens-restrictions-advanced-computing-semiconductors-semiconductor" \
  --outlet "US Bureau of Industry and Security" --published "2023-10-17" \
  --title "Commerce Strengthens Restrictions on Advanced Computing Semiconductors" \
  --note "Sets performance thresholds for a licence requirement; it names no products."
ct verdict 7 supported --on "2023-10-17" --evidence 2 \
  --note "A licence is required above the thresholds the October 2023 rules set."
