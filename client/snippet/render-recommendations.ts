import type { RecommendationsResponse } from "../src/index.ts";

/**
 * Fills a block with the answer's items, each marked with its item, slot and decision so a click on it
 * is tracked and rewarded. A `<template>` inside the block shapes each item (`{item_id}` is replaced in
 * its text and attributes); without one, each item is a link to `#item_id`.
 */
export function renderRecommendations(block: HTMLElement, answer: RecommendationsResponse): void {
  const template = block.querySelector("template");
  const list = document.createElement("ul");
  list.className = "edgewise-recommendations";
  answer.items.forEach((item, slot) => {
    const entry = document.createElement("li");
    let target: Element;
    if (template) {
      entry.append(template.content.cloneNode(true));
      fillPlaceholders(entry, item.item_id);
      target = entry.firstElementChild ?? entry;
    } else {
      const link = document.createElement("a");
      link.href = `#${encodeURIComponent(item.item_id)}`;
      link.textContent = item.item_id;
      entry.append(link);
      target = link;
    }
    target.setAttribute("data-edgewise-item", item.item_id);
    target.setAttribute("data-edgewise-slot", String(slot));
    target.setAttribute("data-edgewise-decision", answer.decision_id);
    list.append(entry);
  });
  block.querySelector("ul.edgewise-recommendations")?.remove();
  block.append(list);
}

function fillPlaceholders(root: Element, itemId: string): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node: Node | null = walker.currentNode; node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE) {
      // textContent, never innerHTML: an item id is data, not markup.
      node.textContent = node.textContent?.replaceAll("{item_id}", itemId) ?? null;
    } else {
      for (const attribute of (node as Element).attributes) {
        if (attribute.value.includes("{item_id}")) {
          attribute.value = attribute.value.replaceAll("{item_id}", encodeURIComponent(itemId));
        }
      }
    }
  }
}
